#!/usr/bin/env node
// `npm test`: the server's unit, db and http tests and the web app's unit tests on PGlite (or on PostgreSQL when
// DATABASE_URL is set). `npm test -- --e2e`: browser tests against a real `kontor serve`.
// Prints `N passed, N failed, N skipped` as its last line and exits non-zero on any failure.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(fileURLToPath(new URL('..', import.meta.url)));
const args = process.argv.slice(2);
const e2e = args.includes('--e2e');
const filters = args.filter((a) => !a.startsWith('--'));
const run = randomBytes(4).toString('hex');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kontor-test-'));
process.env.TZ = 'UTC';

function findTests(dir, pattern) {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && pattern.test(e.name))
    .map((e) => path.join(e.parentPath ?? e.path, e.name))
    .filter((f) => !f.includes('node_modules'))
    .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
    .sort();
}

function exec(command, commandArgs, options = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, commandArgs, { stdio: 'inherit', cwd: root, ...options });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

async function waitReady(url, child, seconds) {
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`kontor serve exited with ${child.exitCode}`);
    try {
      const response = await fetch(`${url}/readyz`);
      if (response.ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`kontor serve was not ready after ${seconds} s`);
}

function summarise(tapFile) {
  const text = fs.existsSync(tapFile) ? fs.readFileSync(tapFile, 'utf8') : '';
  const count = (key) => {
    const matches = [...text.matchAll(new RegExp(`^# ${key} (\\d+)$`, 'gm'))];
    return matches.length ? Number(matches.at(-1)[1]) : 0;
  };
  return {
    passed: count('pass'),
    failed: count('fail') + count('cancelled'),
    skipped: count('skipped') + count('todo'),
  };
}

async function runNodeTests(files, env, concurrency) {
  const tapFile = path.join(tmp, 'results.tap');
  const code = await exec(
    process.execPath,
    [
      '--import',
      'tsx',
      '--test',
      `--test-concurrency=${concurrency}`,
      '--test-reporter=spec',
      '--test-reporter-destination=stdout',
      '--test-reporter=tap',
      `--test-reporter-destination=${tapFile}`,
      ...files,
    ],
    { env: { ...process.env, ...env } },
  );
  return { code, ...summarise(tapFile) };
}

async function main() {
  let result;
  if (e2e) {
    const files = findTests(path.join(root, 'apps/web/e2e'), /\.e2e\.ts$/);
    if (!fs.existsSync(path.join(root, 'apps/web/dist/index.html'))) {
      const built = await exec('npm', ['run', 'build', '-w', 'apps/web']);
      if (built !== 0) throw new Error('the web app did not build');
    }
    const port = 3900 + Math.floor(Math.random() * 90);
    const url = `http://127.0.0.1:${port}`;
    const dataDir = path.join(tmp, 'data');
    // A tenant to sign in with, created before the server takes the embedded database's lock.
    const admin = { email: 'e2e-admin@example.com', password: `e2e-${randomBytes(9).toString('base64url')}` };
    const created = await exec(
      process.execPath,
      [
        'apps/server/bin/kontor.js',
        'tenant',
        'create',
        '--name',
        'E2E GmbH',
        '--admin-email',
        admin.email,
        '--admin-password',
        admin.password,
        '--data',
        dataDir,
        '--json',
      ],
      { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, DATABASE_URL: '' } },
    );
    if (created !== 0) throw new Error('could not create the e2e tenant');
    const server = spawn(
      process.execPath,
      ['apps/server/bin/kontor.js', 'serve', '--port', String(port), '--data', path.join(tmp, 'data')],
      {
        cwd: root,
        stdio: ['ignore', 'ignore', 'inherit'],
        env: { ...process.env, KONTOR_HOST: '127.0.0.1', LOG_LEVEL: 'warn' },
      },
    );
    try {
      await waitReady(url, server, 60);
      result = await runNodeTests(
        files,
        {
          KONTOR_E2E_URL: url,
          KONTOR_E2E_ADMIN_EMAIL: admin.email,
          KONTOR_E2E_ADMIN_PASSWORD: admin.password,
        },
        1,
      );
    } finally {
      server.kill('SIGTERM');
      await new Promise((r) => (server.exitCode !== null ? r() : server.once('exit', r)));
    }
  } else {
    const files = [
      ...findTests(path.join(root, 'apps/server'), /\.test\.ts$/),
      ...findTests(path.join(root, 'packages'), /\.test\.ts$/),
      // The web app's pure logic (filters, models); its screens are covered by the e2e run.
      ...findTests(path.join(root, 'apps/web/src'), /\.test\.ts$/),
    ];
    const env = { KONTOR_TEST_RUN: run };
    const setup = path.join(root, 'apps/server/test/support/global-setup.ts');
    if (process.env.DATABASE_URL) {
      env.KONTOR_TEST_PG_TEMPLATE = `kontor_tpl_${run}`;
      if ((await exec(process.execPath, ['--import', 'tsx', setup, env.KONTOR_TEST_PG_TEMPLATE])) !== 0) {
        throw new Error('could not create the template database');
      }
    } else {
      env.KONTOR_TEST_PGLITE_IMAGE = path.join(tmp, 'template.tar');
      if ((await exec(process.execPath, ['--import', 'tsx', setup, env.KONTOR_TEST_PGLITE_IMAGE])) !== 0) {
        throw new Error('could not create the template database image');
      }
    }
    try {
      result = await runNodeTests(files, env, Math.max(2, os.availableParallelism()));
    } finally {
      if (process.env.DATABASE_URL) {
        await exec(process.execPath, [
          '--import',
          'tsx',
          path.join(root, 'apps/server/test/support/drop-run.ts'),
          run,
        ]);
      }
    }
  }
  fs.rmSync(tmp, { recursive: true, force: true });
  console.log(`${result.passed} passed, ${result.failed} failed, ${result.skipped} skipped`);
  process.exit(result.code === 0 && result.failed === 0 ? 0 : 1);
}

main().catch((error) => {
  console.error(`test runner: ${error.message}`);
  console.log('0 passed, 1 failed, 0 skipped');
  process.exit(1);
});
