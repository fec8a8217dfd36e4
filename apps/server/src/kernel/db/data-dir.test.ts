import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, test } from 'node:test';
import { acquireDataDirLock, DataDirLockedError, ensureInitialised, pgDataPath } from './data-dir.ts';

const dirs: string[] = [];
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kontor-datadir-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function deadPid(): number {
  // A process that has exited: its pid is free (reuse within this test is vanishingly unlikely).
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(String(child.stdout));
}

test('a second lock on the same folder is refused with the holder named', () => {
  const dir = tempDir();
  const first = acquireDataDirLock(dir);
  const lockFile = path.join(dir, 'kontor.lock');
  // Another live process holds it: write its pid (our parent's, which is alive) as the holder.
  fs.writeFileSync(
    lockFile,
    JSON.stringify({ pid: process.ppid, host: os.hostname(), since: new Date().toISOString() }),
  );
  assert.throws(
    () => acquireDataDirLock(dir),
    (e: unknown) =>
      e instanceof DataDirLockedError &&
      e.holderPid === process.ppid &&
      /in use by another Kontor process/.test(e.message),
  );
  first.release(); // not ours any more: release leaves the other holder's lock alone
  assert.ok(fs.existsSync(lockFile));
});

test("a dead process's lock is taken over", () => {
  const dir = tempDir();
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(
    path.join(dir, 'kontor.lock'),
    JSON.stringify({ pid: deadPid(), host: os.hostname(), since: 'x' }),
  );
  const lock = acquireDataDirLock(dir);
  const holder = JSON.parse(fs.readFileSync(path.join(dir, 'kontor.lock'), 'utf8')) as { pid: number };
  assert.equal(holder.pid, process.pid);
  lock.release();
  assert.equal(fs.existsSync(path.join(dir, 'kontor.lock')), false);
});

test('a garbled lock file counts as stale', () => {
  const dir = tempDir();
  fs.writeFileSync(path.join(dir, 'kontor.lock'), '{"pid": 12');
  acquireDataDirLock(dir).release();
});

test('first initialisation happens in a scratch folder renamed into place', async () => {
  const dir = tempDir();
  let scratchSeen = '';
  const result = await ensureInitialised(dir, async (scratch) => {
    scratchSeen = scratch;
    assert.equal(fs.existsSync(pgDataPath(dir)), false, 'the real folder must not exist during init');
    fs.mkdirSync(scratch);
    fs.writeFileSync(path.join(scratch, 'PG_VERSION'), '18');
  });
  assert.equal(result.created, true);
  assert.ok(fs.existsSync(path.join(pgDataPath(dir), 'PG_VERSION')));
  assert.equal(fs.existsSync(scratchSeen), false);
  assert.deepEqual(await ensureInitialised(dir, async () => assert.fail('must not init twice')), {
    created: false,
  });
});

test('an initialisation killed halfway leaves nothing that is mistaken for a database', async () => {
  const dir = tempDir();
  await assert.rejects(
    ensureInitialised(dir, async (scratch) => {
      fs.mkdirSync(scratch);
      fs.writeFileSync(path.join(scratch, 'half-written'), 'x');
      throw new Error('killed');
    }),
    /killed/,
  );
  assert.equal(fs.existsSync(pgDataPath(dir)), false);
  // The next start cleans the leftover scratch folder and initialises properly.
  await ensureInitialised(dir, async (scratch) => {
    fs.mkdirSync(scratch);
    fs.writeFileSync(path.join(scratch, 'PG_VERSION'), '18');
  });
  assert.deepEqual(
    fs.readdirSync(dir).filter((f) => f.startsWith('pg.init-')),
    [],
  );
});

test('a pg folder that is not a database is refused, not overwritten', async () => {
  const dir = tempDir();
  fs.mkdirSync(pgDataPath(dir), { recursive: true });
  fs.writeFileSync(path.join(pgDataPath(dir), 'precious.txt'), 'data');
  await assert.rejects(
    ensureInitialised(dir, async () => undefined),
    /not a PostgreSQL data directory/,
  );
  assert.ok(fs.existsSync(path.join(pgDataPath(dir), 'precious.txt')));
});
