import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../../src/kernel/logger.ts';

export function silentLogger(): Logger {
  return createLogger({ level: 'silent' });
}

/** A logger whose JSON lines are kept in memory, for tests that read what was logged. */
export function capturingLogger(level = 'info'): { logger: Logger; lines: () => string[] } {
  const chunks: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  return {
    logger: createLogger({ level, destination }),
    lines: () => chunks.join('').split('\n').filter(Boolean),
  };
}
