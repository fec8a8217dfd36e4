import { note } from './report.ts';

type Task = { label: string; run: () => Promise<void> | void };

const tasks = new Set<Task>();

/**
 * Registers something to undo (a child process, a temp folder, a database). Returns the undo
 * function; calling it runs the task once and forgets it. Whatever is still registered when
 * the benchmark ends, fails or is interrupted is undone by `cleanUpAll`, newest first.
 */
export function deferCleanup(label: string, run: () => Promise<void> | void): () => Promise<void> {
  const task: Task = { label, run };
  tasks.add(task);
  return async () => {
    if (tasks.delete(task)) await task.run();
  };
}

export async function cleanUpAll(): Promise<void> {
  for (const task of [...tasks].reverse()) {
    // A signal's cleanup and the failing benchmark's own may overlap: each task runs once.
    if (!tasks.delete(task)) continue;
    try {
      await task.run();
    } catch (error) {
      note(`cleanup of ${task.label} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

/**
 * Runs a benchmark's main function: cleans up afterwards whatever happens, reports a failure
 * on stderr and exits non-zero. Ctrl-C and SIGTERM clean up too.
 */
export async function runBench(main: () => Promise<void>): Promise<void> {
  let interrupted = false;
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    // `on`, not `once`: Ctrl-C reaches us from the terminal and again from scripts/bench.mjs,
    // and a second, unhandled signal would kill us before the database is dropped.
    process.on(signal, () => {
      if (interrupted) return;
      interrupted = true;
      note(`${signal}: cleaning up`);
      void cleanUpAll().finally(() => process.exit(130));
    });
  }
  try {
    await main();
  } catch (error) {
    note(`FAILED: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exitCode = 1;
  } finally {
    await cleanUpAll();
  }
}
