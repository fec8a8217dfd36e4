#!/usr/bin/env node
// `npm start [-- --port 3000 --data DIR --no-worker]`: builds the web app if it is missing,
// then runs `kontor serve` with the given flags.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(fileURLToPath(new URL('..', import.meta.url)));
if (!fs.existsSync(path.join(root, 'apps/web/dist/index.html'))) {
  const built = spawnSync('npm', ['run', 'build', '-w', 'apps/web'], { cwd: root, stdio: 'inherit' });
  if (built.status !== 0) {
    console.error('kontor: the web app did not build (see above); starting with the API only.');
  }
}
const server = spawn(
  process.execPath,
  [path.join(root, 'apps/server/bin/kontor.js'), 'serve', ...process.argv.slice(2)],
  {
    cwd: process.cwd(),
    stdio: 'inherit',
  },
);
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal));
server.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
