import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * The embedded database's folder:
 *   <dir>/kontor.lock   who holds the folder (pid, host, since)
 *   <dir>/pg/           PGlite's data directory
 *
 * PGlite has no postmaster.pid: two processes on one data directory both "work" and silently
 * lose rows and corrupt indexes. This lock makes the second one refuse instead.
 */
export class DataDirLockedError extends Error {
  constructor(
    readonly dir: string,
    readonly holderPid: number,
  ) {
    super(
      `the embedded database in ${dir} is in use by another Kontor process (pid ${holderPid}); ` +
        'stop it first, or use the API of the running server',
    );
  }
}

type LockInfo = { pid: number; host: string; since: string };

export type DataDirLock = { readonly dir: string; release(): void };

export function pgDataPath(dir: string): string {
  return path.join(dir, 'pg');
}

export function acquireDataDirLock(dir: string): DataDirLock {
  fs.mkdirSync(dir, { recursive: true });
  const lockPath = path.join(dir, 'kontor.lock');
  const mine: LockInfo = { pid: process.pid, host: os.hostname(), since: new Date().toISOString() };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      fs.writeFileSync(lockPath, JSON.stringify(mine), { flag: 'wx' });
      return { dir, release: () => releaseIfMine(lockPath) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = readLock(lockPath);
    if (holder && isAlive(holder)) throw new DataDirLockedError(dir, holder.pid);
    removeStaleLock(lockPath, holder);
  }
  throw new Error(`could not take the lock on ${dir}: another process keeps racing for it`);
}

function readLock(lockPath: string): LockInfo | undefined {
  try {
    const parsed = JSON.parse(fs.readFileSync(lockPath, 'utf8')) as Partial<LockInfo>;
    if (typeof parsed.pid === 'number' && typeof parsed.host === 'string') {
      return { pid: parsed.pid, host: parsed.host, since: String(parsed.since) };
    }
  } catch {
    // unreadable or half-written: treated as stale below
  }
  return undefined;
}

function isAlive(holder: LockInfo): boolean {
  if (holder.host !== os.hostname()) return true; // cannot check another host's process: refuse
  if (holder.pid === process.pid) return true;
  try {
    process.kill(holder.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Only one process may clear a stale lock: the one that creates the takeover marker. */
function removeStaleLock(lockPath: string, seen: LockInfo | undefined): void {
  const marker = `${lockPath}.takeover`;
  try {
    const stat = fs.statSync(marker, { throwIfNoEntry: false });
    if (stat && Date.now() - stat.mtimeMs > 10_000) fs.rmSync(marker, { force: true });
    fs.writeFileSync(marker, String(process.pid), { flag: 'wx' });
  } catch {
    return; // someone else is taking over; the caller retries
  }
  try {
    const now = readLock(lockPath);
    if (JSON.stringify(now) === JSON.stringify(seen)) fs.rmSync(lockPath, { force: true });
  } finally {
    fs.rmSync(marker, { force: true });
  }
}

function releaseIfMine(lockPath: string): void {
  const holder = readLock(lockPath);
  if (holder?.pid === process.pid && holder.host === os.hostname()) fs.rmSync(lockPath, { force: true });
}

/**
 * First-time initialisation is atomic: PGlite initialises a scratch folder which is renamed into
 * place only when complete, so a kill during initdb never leaves an unopenable data directory.
 */
export async function ensureInitialised(
  dir: string,
  init: (scratchDir: string) => Promise<void>,
): Promise<{ created: boolean }> {
  const target = pgDataPath(dir);
  if (fs.existsSync(path.join(target, 'PG_VERSION'))) return { created: false };
  if (fs.existsSync(target)) {
    throw new Error(
      `${target} exists but is not a PostgreSQL data directory; move it away or choose another --data folder`,
    );
  }
  const scratch = path.join(dir, `pg.init-${process.pid}`);
  for (const entry of fs.readdirSync(dir)) {
    if (entry.startsWith('pg.init-')) fs.rmSync(path.join(dir, entry), { recursive: true, force: true });
  }
  await init(scratch);
  fs.renameSync(scratch, target);
  return { created: true };
}
