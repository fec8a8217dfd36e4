import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { freshDatabase, TEST_DB_KIND, type TestDatabase } from '../test/support/database.ts';
import { type Child, freePort, KONTOR_BIN, kontor, start } from '../test/support/process.ts';

// The `kontor` command as a person runs it: a real process, on PGlite in a temp folder or on a
// fresh PostgreSQL database.
let dataDir: string;
let pg: TestDatabase | undefined;
let env: NodeJS.ProcessEnv;
const children: Child[] = [];

before(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kontor-cli-'));
  if (TEST_DB_KIND === 'postgres') pg = await freshDatabase();
  env = pg ? { DATABASE_URL: pg.url } : { DATABASE_URL: '' };
});
after(async () => {
  for (const c of children) if (c.process.exitCode === null) c.process.kill('SIGKILL');
  await Promise.all(children.map((c) => c.exited));
  await pg?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

test('tenant create --json prints exactly tenantId, adminUserId and apiToken', async () => {
  const result = await kontor(
    ['tenant', 'create', '--name', 'Acme', '--admin-email', 'a@example.com', '--json', '--data', dataDir],
    env,
  );
  assert.equal(result.code, 0, result.stderr);
  const created = JSON.parse(result.stdout) as Record<string, string>;
  assert.deepEqual(Object.keys(created).sort(), ['adminUserId', 'apiToken', 'tenantId']);
  assert.match(created.tenantId ?? '', /^[0-9a-f-]{36}$/);
  assert.match(created.apiToken ?? '', /^ktr_/);
});

test('an unknown flag is one line on stderr and exit 1', async () => {
  const result = await kontor(['tenant', 'create', '--name', 'Acme', '--colour', 'red'], env);
  assert.equal(result.code, 1);
  assert.equal(result.stderr.trim().split('\n').length, 1);
  assert.match(result.stderr, /--colour/);
});

test('bad values are one line naming what is wrong, exit 1', async () => {
  const cases: [string[], NodeJS.ProcessEnv, RegExp][] = [
    [['serve', '--port', 'eighty'], {}, /--port: must be a port number/],
    [
      ['tenant', 'create', '--name', 'Acme', '--admin-email', 'nope', '--data', dataDir],
      {},
      /adminEmail: must be an email address/,
    ],
    [['tenant', 'create', '--admin-email', 'a@example.com'], {}, /--name is required/],
    [['frobnicate'], {}, /unknown command "frobnicate"/],
    [
      ['serve', '--data', dataDir],
      { KONTOR_BASE_URL: 'not a url', PORT: 'x' },
      /invalid configuration: .*PORT: must be a whole number|invalid configuration: .*KONTOR_BASE_URL/,
    ],
  ];
  for (const [args, extra, pattern] of cases) {
    const result = await kontor(args, { ...env, ...extra });
    assert.equal(result.code, 1, `${args.join(' ')}: ${result.stderr}`);
    assert.equal(result.stderr.trim().split('\n').length, 1, result.stderr);
    assert.match(result.stderr, pattern);
  }
});

test('migrate --json reports an up-to-date database', async () => {
  const result = await kontor(['migrate', '--json', '--data', dataDir], env);
  assert.equal(result.code, 0, result.stderr);
  const report = JSON.parse(result.stdout) as { applied: string[]; total: number };
  assert.ok(report.total >= 1);
});

test('serve answers /readyz, and SIGTERM shuts it down cleanly', async () => {
  const port = await freePort();
  const server = start(process.execPath, [KONTOR_BIN, 'serve', '--port', String(port), '--data', dataDir], {
    ...env,
    KONTOR_HOST: '127.0.0.1',
  });
  children.push(server);
  await waitReady(port, server);
  const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
  assert.equal(ready.status, 200);
  assert.equal(((await ready.json()) as { database: string }).database, TEST_DB_KIND);
  const page = await fetch(`http://127.0.0.1:${port}/some/client/route`);
  assert.equal(page.status, 200);
  assert.match(page.headers.get('content-type') ?? '', /text\/html|application\/problem\+json/);

  if (TEST_DB_KIND === 'pglite') {
    // A second process on the same embedded data folder must refuse, not corrupt it.
    const second = await kontor(['serve', '--port', String(port + 1), '--data', dataDir], env);
    assert.equal(second.code, 1);
    assert.match(
      second.stderr,
      /^kontor: the embedded database in .* is in use by another Kontor process \(pid \d+\)/,
    );
    const migrateToo = await kontor(['migrate', '--data', dataDir], env);
    assert.equal(migrateToo.code, 1);
  }

  server.process.kill('SIGTERM');
  const { code } = await server.exited;
  assert.equal(code, 0);
  if (TEST_DB_KIND === 'pglite')
    assert.equal(fs.existsSync(path.join(dataDir, 'kontor.lock')), false, 'the lock is released');
});

async function waitReady(port: number, server: Child): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (server.process.exitCode !== null) throw new Error(`serve exited: ${server.stderr()}`);
    try {
      if ((await fetch(`http://127.0.0.1:${port}/readyz`)).ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`serve not ready: ${server.stderr()}`);
}

test('serve --no-worker and worker start, answer and stop cleanly (the scale-out roles)', async () => {
  const port = await freePort();
  const web = start(
    process.execPath,
    [KONTOR_BIN, 'serve', '--no-worker', '--port', String(port), '--data', dataDir],
    {
      ...env,
      KONTOR_HOST: '127.0.0.1',
    },
  );
  children.push(web);
  await waitReady(port, web);
  web.process.kill('SIGTERM');
  assert.equal((await web.exited).code, 0);

  const worker = start(process.execPath, [KONTOR_BIN, 'worker', '--data', dataDir], {
    ...env,
    LOG_LEVEL: 'info',
  });
  children.push(worker);
  const deadline = Date.now() + 60_000;
  while (
    !/kontor worker is running/.test(worker.stdout()) &&
    Date.now() < deadline &&
    worker.process.exitCode === null
  ) {
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.match(worker.stdout(), /kontor worker is running/);
  worker.process.kill('SIGTERM');
  assert.equal((await worker.exited).code, 0);
});
