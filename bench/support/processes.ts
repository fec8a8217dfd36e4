import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { deferCleanup } from './cleanup.ts';

const live = new Set<ChildProcess>();

// Last resort: whatever way this process ends, no server it started outlives it.
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

export type Server = {
  readonly label: string;
  readonly pid: number;
  /** Whatever the process has written lately, for error messages. */
  recentOutput(): string;
  /** SIGTERM, then SIGKILL if it has not exited within `graceMs`. */
  stop(graceMs?: number): Promise<void>;
};

export type SpawnOptions = {
  label: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  cwd?: string;
};

const TAIL_CHARS = 4000;

/**
 * Starts `node <args>` as a child process. Its output is forwarded to our stderr with a
 * prefix (our stdout carries only JSON figures) and it is registered for cleanup.
 */
export function startNode(options: SpawnOptions): Server {
  const child = spawn(process.execPath, options.args, {
    env: options.env,
    cwd: options.cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.pid === undefined) throw new Error(`${options.label}: could not start node`);
  live.add(child);
  let tail = '';
  const keep = (chunk: string) => {
    tail = (tail + chunk).slice(-TAIL_CHARS);
    process.stderr.write(prefixLines(options.label, chunk));
  };
  child.stdout.setEncoding('utf8').on('data', keep);
  child.stderr.setEncoding('utf8').on('data', keep);
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => {
      live.delete(child);
      resolve();
    });
  });

  const stop = async (graceMs = 10_000): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  };
  const undo = deferCleanup(`${options.label} (pid ${child.pid})`, () => stop());

  return {
    label: options.label,
    pid: child.pid,
    recentOutput: () => tail,
    stop: () => undo(),
  };
}

/** Runs `node <args>` to completion and returns its stdout; fails with its output if it exits non-zero. */
export async function runNode(label: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const [code, signal] = (await once(child, 'exit')) as [number | null, NodeJS.Signals | null];
  live.delete(child);
  if (code !== 0) {
    throw new Error(`${label} exited with ${code ?? signal}:\n${stderr.slice(-TAIL_CHARS)}`);
  }
  if (stderr.trim() !== '') process.stderr.write(prefixLines(label, stderr));
  return stdout;
}

/** A TCP port that was free a moment ago on 127.0.0.1. */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  await once(server, 'close');
  if (address === null || typeof address === 'string') throw new Error('no TCP port available');
  return address.port;
}

/** Polls `url` until it answers 200, or fails after `timeoutMs` or when the server exits. */
export async function waitUntilReady(server: Server, url: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer yet';
  while (Date.now() < deadline) {
    if (!isLive(server.pid)) {
      throw new Error(`${server.label} exited before it was ready:\n${server.recentOutput()}`);
    }
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      await response.arrayBuffer();
      if (response.status === 200) return;
      last = `status ${response.status}`;
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${server.label} not ready at ${url} after ${timeoutMs} ms (${last})`);
}

function isLive(pid: number): boolean {
  for (const child of live) if (child.pid === pid) return true;
  return false;
}

function prefixLines(label: string, text: string): string {
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => `  [${label}] ${line}\n`)
    .join('');
}
