#!/usr/bin/env node
// After `npm ci`: build the web app so that `npm start` serves it at once.
// A failed build does not fail the install; `npm start` tries again and says why.
import { spawnSync } from 'node:child_process';

if (process.env.KONTOR_SKIP_WEB_BUILD) process.exit(0);
const result = spawnSync('npm', ['run', 'build', '-w', 'apps/web', '--silent'], { stdio: 'inherit' });
if (result.status !== 0) {
  console.warn('kontor: the web app did not build during install; `npm start` will try again.');
}
