import { type ChildProcess, spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const SERVER_DIR = path.resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const KONTOR_BIN = path.join(SERVER_DIR, 'bin/kontor.js');

/**
 * A port nothing listens on now, chosen by the system (a random number could fall on a port in
 * use, e.g. the local end of one of the tests' own database connections).
 */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

export type Child = {
  process: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  /** Resolves with the first stdout line matching, or rejects when the process exits first. */
  waitForLine(pattern: RegExp, seconds?: number): Promise<RegExpMatchArray>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
};

export function start(command: string, args: string[], env: NodeJS.ProcessEnv): Child {
  const child = spawn(command, args, {
    cwd: SERVER_DIR,
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  const listeners = new Set<() => void>();
  child.stdout?.on('data', (d: Buffer) => {
    out += String(d);
    for (const l of listeners) l();
  });
  child.stderr?.on('data', (d: Buffer) => {
    err += String(d);
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => {
      resolve({ code, signal });
      for (const l of listeners) l();
    }),
  );
  return {
    process: child,
    stdout: () => out,
    stderr: () => err,
    exited,
    waitForLine(pattern, seconds = 60) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () =>
            done(
              new Error(
                `timed out waiting for ${pattern}; stdout: ${out.slice(-300)}; stderr: ${err.slice(-2000)}`,
              ),
            ),
          seconds * 1000,
        );
        const check = () => {
          const match = out
            .split('\n')
            .map((line) => line.match(pattern))
            .find((m) => m);
          if (match) return done(undefined, match);
          if (child.exitCode !== null || child.signalCode !== null) {
            done(
              new Error(
                `process exited (${child.exitCode ?? child.signalCode}) before ${pattern}; stderr: ${err.slice(-2000)}`,
              ),
            );
          }
        };
        const done = (error?: Error, match?: RegExpMatchArray) => {
          clearTimeout(timer);
          listeners.delete(check);
          if (error) reject(error);
          else resolve(match as RegExpMatchArray);
        };
        listeners.add(check);
        check();
      });
    },
  };
}

/** Runs a command to its end and returns its exit code and output. */
export async function run(command: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  const child = start(command, args, env);
  const { code } = await child.exited;
  return { code, stdout: child.stdout(), stderr: child.stderr() };
}

export function kontor(args: string[], env: NodeJS.ProcessEnv = {}) {
  return run(process.execPath, [KONTOR_BIN, ...args], env);
}
