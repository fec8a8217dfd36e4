import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { type CheckSetup, type DataRow, type RowOutcome, rowChecker } from './imports.check.ts';

/**
 * Checking rows (the mapping, then the contact rules: libphonenumber, IBAN, zod) is the import's
 * costliest JavaScript. A Checker runs it in a worker thread, so that it overlaps with reading
 * the file and with the database's work on the previous batch — on the embedded database, which
 * runs on the main thread, that is the difference between one core and two. Without a worker
 * (a small import, or one that could not start) it checks on the calling thread.
 */
export type Checker = {
  check(rows: readonly DataRow[]): Promise<RowOutcome[]>;
  close(): Promise<void>;
};

type Request = { id: number; rows: readonly DataRow[] };
type Reply = { id: number; outcomes?: RowOutcome[]; error?: string };

export function inlineChecker(setup: CheckSetup): Checker {
  const check = rowChecker(setup);
  return { check: async (rows) => check(rows), close: async () => undefined };
}

/**
 * A checker in a worker thread. The worker loads this file again through tsx (the sources are
 * TypeScript, run without a build step), so it starts with an inline bootstrap that registers
 * tsx first.
 */
export function threadChecker(setup: CheckSetup): Checker {
  const tsx = import.meta.resolve('tsx/esm/api');
  const self = import.meta.url;
  const bootstrap = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(self)}); })`;
  const worker = new Worker(bootstrap, { eval: true, workerData: { kontorImportChecker: setup } });
  worker.unref();
  const waiting = new Map<number, { resolve: (o: RowOutcome[]) => void; reject: (e: Error) => void }>();
  let failure: Error | undefined;
  const failAll = (error: Error) => {
    failure ??= error;
    for (const w of waiting.values()) w.reject(failure);
    waiting.clear();
  };
  worker.on('message', (reply: Reply) => {
    const w = waiting.get(reply.id);
    if (!w) return;
    waiting.delete(reply.id);
    if (reply.outcomes) w.resolve(reply.outcomes);
    else w.reject(new Error(`row check failed in the worker: ${reply.error ?? 'unknown error'}`));
  });
  worker.on('error', (error) => failAll(error instanceof Error ? error : new Error(String(error))));
  worker.on('exit', (code) => failAll(new Error(`the row-check worker exited (${code})`)));
  let next = 0;
  return {
    check(rows) {
      if (failure) return Promise.reject(failure);
      const id = next++;
      return new Promise<RowOutcome[]>((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        worker.postMessage({ id, rows } satisfies Request);
      });
    },
    async close() {
      failure ??= new Error('the row checker is closed');
      await worker.terminate();
    },
  };
}

// The worker's side: check what the main thread sends, batch by batch.
const data = workerData as { kontorImportChecker?: CheckSetup } | null;
if (!isMainThread && parentPort && data?.kontorImportChecker) {
  const port = parentPort;
  const check = rowChecker(data.kontorImportChecker);
  port.on('message', (request: Request) => {
    try {
      port.postMessage({ id: request.id, outcomes: check(request.rows) } satisfies Reply);
    } catch (error) {
      // The name only: a message could quote a value of the file.
      port.postMessage({
        id: request.id,
        error: error instanceof Error ? error.name : 'error',
      } satisfies Reply);
    }
  });
}
