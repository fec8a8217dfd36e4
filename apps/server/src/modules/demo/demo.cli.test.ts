import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { freshDatabase, TEST_DB_KIND, type TestDatabase } from '../../../test/support/database.ts';
import { type Child, freePort, KONTOR_BIN, kontor, start } from '../../../test/support/process.ts';

// `kontor demo` as a person runs it: a real process, on PGlite in a temp folder or on a fresh
// PostgreSQL database; then `kontor serve` on the same data, used with the printed login.
let dataDir: string;
let pg: TestDatabase | undefined;
let env: NodeJS.ProcessEnv;
const children: Child[] = [];

before(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kontor-demo-cli-'));
  if (TEST_DB_KIND === 'postgres') pg = await freshDatabase();
  env = pg ? { DATABASE_URL: pg.url } : { DATABASE_URL: '' };
});
after(async () => {
  for (const c of children) if (c.process.exitCode === null) c.process.kill('SIGKILL');
  await Promise.all(children.map((c) => c.exited));
  await pg?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

type Login = {
  tenantId: string;
  apiToken: string;
  adminEmail: string;
  adminPassword: string;
  formId: string;
  newsletterId: string;
};

async function waitReady(port: number, server: Child): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (server.process.exitCode !== null) throw new Error(`serve exited: ${server.stderr()}`);
    try {
      if ((await fetch(`http://127.0.0.1:${port}/readyz`)).ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`serve not ready: ${server.stderr()}`);
}

test(`demo --json prints exactly the login keys; the token and the password work on a served Kontor, and the same --seed gives the same people (${TEST_DB_KIND})`, async () => {
  const args = ['demo', '--contacts', '120', '--seed', '77', '--json', '--data', dataDir];
  const first = await kontor(args, env);
  assert.equal(first.code, 0, first.stderr);
  const login = JSON.parse(first.stdout) as Login;
  assert.deepEqual(Object.keys(login).sort(), [
    'adminEmail',
    'adminPassword',
    'apiToken',
    'formId',
    'newsletterId',
    'tenantId',
  ]);
  assert.match(login.tenantId, /^[0-9a-f-]{36}$/);
  assert.match(login.apiToken, /^ktr_/);
  assert.match(login.formId, /^[0-9a-f-]{36}$/);
  assert.match(login.newsletterId, /^[0-9a-f-]{36}$/);
  const second = await kontor(
    ['demo', '--contacts', '120', '--seed', '77', '--name', 'Zweite Demo AG', '--json', '--data', dataDir],
    env,
  );
  assert.equal(second.code, 0, second.stderr);
  const again = JSON.parse(second.stdout) as Login;
  assert.notEqual(again.tenantId, login.tenantId);
  assert.notEqual(again.adminPassword, login.adminPassword, 'each demo gets its own password');

  const port = await freePort();
  const server = start(process.execPath, [KONTOR_BIN, 'serve', '--port', String(port), '--data', dataDir], {
    ...env,
    KONTOR_HOST: '127.0.0.1',
  });
  children.push(server);
  await waitReady(port, server);
  const base = `http://127.0.0.1:${port}`;

  const people = async (token: string) => {
    const res = await fetch(`${base}/api/v1/contacts?limit=200`, {
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(res.status, 200);
    const page = (await res.json()) as { items: Record<string, unknown>[] };
    return page.items
      .map((c) => [c.firstName, c.lastName, c.email, c.city, c.mobile, c.iban].join('|'))
      .sort();
  };
  const mine = await people(login.apiToken);
  assert.equal(mine.length, 120);
  assert.deepEqual(await people(again.apiToken), mine, 'the same seed, the same people');

  const signIn = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: login.adminEmail, password: login.adminPassword }),
  });
  assert.equal(signIn.status, 200, await signIn.text());

  if (TEST_DB_KIND === 'pglite') {
    // The embedded folder is in use: demo refuses instead of writing next to serve.
    const locked = await kontor(['demo', '--contacts', '5', '--data', dataDir], env);
    assert.equal(locked.code, 1);
    assert.match(locked.stderr, /in use by another Kontor process/);
  }
  server.process.kill('SIGTERM');
  assert.equal((await server.exited).code, 0);
});

test('demo prints the login as text without --json', async () => {
  const result = await kontor(
    ['demo', '--contacts', '20', '--admin-email', 'chefin@autohaus.example', '--data', dataDir],
    env,
  );
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /^Demo tenant [0-9a-f-]{36} created \(seed \d+\): 20 contacts, 3 companies/);
  assert.match(result.stdout, /Sign in as: +chefin@autohaus\.example/);
  assert.match(result.stdout, /Password: +\S{20,}/);
  assert.match(result.stdout, /API token: +ktr_/);
});

test('bad flags are one line naming what is wrong, exit 1', async () => {
  const cases: [string[], RegExp][] = [
    [['demo', '--contacts', 'lots'], /--contacts: must be a whole number from 1 to 100000 \(got "lots"\)/],
    [['demo', '--contacts', '100001'], /--contacts: must be a whole number from 1 to 100000/],
    [['demo', '--seed', '-3'], /--seed/],
    [['demo', '--colour', 'red'], /--colour/],
    [
      ['demo', '--contacts', '5', '--admin-password', 'short', '--data', dataDir],
      /adminPassword: must have at least 12 characters/,
    ],
  ];
  for (const [args, pattern] of cases) {
    const result = await kontor(args, env);
    assert.equal(result.code, 1, `${args.join(' ')}: ${result.stderr}`);
    assert.equal(result.stderr.trim().split('\n').length, 1, result.stderr);
    assert.match(result.stderr, pattern);
  }
});
