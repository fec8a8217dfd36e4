#!/usr/bin/env node
// Runs the benchmarks: every bench/*.bench.ts, one after the other, each in its own
// `node --import tsx` process. Their stdout (one JSON line per figure) passes through
// untouched; progress goes to stderr. Exits non-zero if any benchmark fails.
//
//   npm run bench              all of them
//   npm run bench -- http      only files whose name contains "http"
//   BENCH_SECONDS=30 npm run bench
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const benchDir = join(root, 'bench');
const filters = process.argv.slice(2);

const files = readdirSync(benchDir)
  .filter((name) => name.endsWith('.bench.ts'))
  .filter((name) => filters.length === 0 || filters.some((filter) => name.includes(filter)))
  .sort();

if (files.length === 0) {
  process.stderr.write(`bench: no bench/*.bench.ts matches ${filters.map((f) => `"${f}"`).join(' or ')}\n`);
  process.exit(1);
}

let current;
for (const signal of ['SIGINT', 'SIGTERM']) {
  // The running benchmark cleans up after itself on this signal; wait for it, then stop.
  process.on(signal, () => {
    if (current) current.kill(signal);
    else process.exit(130);
  });
}

const failed = [];
for (const name of files) {
  process.stderr.write(`bench: ${name}\n`);
  const started = Date.now();
  current = spawn(process.execPath, ['--import', 'tsx', join(benchDir, name)], {
    cwd: root,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const [code, signal] = await new Promise((resolve) => {
    current.once('exit', (exitCode, exitSignal) => resolve([exitCode, exitSignal]));
  });
  current = undefined;
  const took = ((Date.now() - started) / 1000).toFixed(1);
  if (code === 0) {
    process.stderr.write(`bench: ${name} done in ${took} s\n`);
  } else {
    process.stderr.write(`bench: ${name} FAILED (${signal ?? `exit ${code}`}) after ${took} s\n`);
    failed.push(name);
    if (signal === 'SIGINT' || signal === 'SIGTERM' || code === 130) break;
  }
}

if (failed.length > 0) {
  process.stderr.write(`bench: ${failed.length} of ${files.length} failed: ${failed.join(', ')}\n`);
  process.exit(1);
}
