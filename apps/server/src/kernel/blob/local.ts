import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { assertBlobKey, type BlobBody, BlobNotFoundError, type BlobStore, chunksOf } from './blob-store.ts';

const TMP = '.tmp';
const HOUR = 60 * 60 * 1000;

/**
 * Blobs as files under one folder (default `<data dir>/blobs`): key `a/b` is the file `a/b`.
 * A put writes `.tmp/<random>.part`, flushes it to disk and renames it into place, so a crash
 * never leaves a half-written file under a real key; leftovers in `.tmp` are removed by
 * `cleanUp()`. Files are readable by the owner only.
 */
export function createLocalBlobStore(root: string): BlobStore {
  const base = path.resolve(root);
  const tmpDir = path.join(base, TMP);
  // Made on the first write: commands that never store a file leave no folder behind.
  let ready: Promise<unknown> | undefined;

  function fileOf(key: string): string {
    assertBlobKey(key);
    const file = path.join(base, ...key.split('/'));
    // The key pattern already rules out `..`; this keeps that true whatever the pattern becomes.
    if (!file.startsWith(base + path.sep)) throw new Error('blob key escapes the blob folder');
    return file;
  }

  async function stat(key: string): Promise<{ size: number } | undefined> {
    try {
      const info = await fs.promises.stat(fileOf(key));
      return { size: info.size };
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }

  return {
    kind: 'local',

    async put(key, body: BlobBody) {
      const target = fileOf(key);
      ready ??= fs.promises.mkdir(tmpDir, { recursive: true, mode: 0o700 });
      await ready;
      const partial = path.join(tmpDir, `${randomUUID()}.part`);
      // Opened before any byte flows, so that a body failing at once cannot race the file's
      // creation and leave it behind after the clean-up below.
      const handle = await fs.promises.open(partial, 'wx', 0o600);
      // flush: fsync before close, so the rename below never publishes unwritten data.
      const out = handle.createWriteStream({ flush: true });
      let size = 0;
      try {
        await pipeline(
          chunksOf(body),
          async function* (source: AsyncIterable<Buffer>) {
            for await (const chunk of source) {
              size += chunk.length;
              yield chunk;
            }
          },
          out,
        );
        await fs.promises.mkdir(path.dirname(target), { recursive: true, mode: 0o700 });
        await fs.promises.rename(partial, target);
        await syncDirectory(path.dirname(target));
        return { size };
      } catch (error) {
        if (!out.closed) await new Promise<void>((resolve) => out.once('close', () => resolve()));
        await fs.promises.rm(partial, { force: true });
        throw error;
      }
    },

    async get(key) {
      let handle: fs.promises.FileHandle;
      try {
        handle = await fs.promises.open(fileOf(key), 'r');
      } catch (error) {
        if (isMissing(error)) throw new BlobNotFoundError(key);
        throw error;
      }
      return handle.createReadStream() as Readable;
    },

    stat,

    async exists(key) {
      return (await stat(key)) !== undefined;
    },

    async delete(key) {
      await fs.promises.rm(fileOf(key), { force: true });
    },

    async cleanUp(olderThanMs = HOUR) {
      let removed = 0;
      const cutoff = Date.now() - olderThanMs;
      const names = await fs.promises.readdir(tmpDir).catch((error: unknown) => {
        if (isMissing(error)) return [] as string[];
        throw error;
      });
      for (const name of names) {
        const file = path.join(tmpDir, name);
        const info = await fs.promises.stat(file).catch(() => undefined);
        if (info && info.mtimeMs < cutoff) {
          await fs.promises.rm(file, { force: true });
          removed += 1;
        }
      }
      return removed;
    },

    async close() {},
  };
}

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException).code === 'ENOENT';
}

/** Makes a rename durable (POSIX); folders cannot be opened for this on every platform. */
async function syncDirectory(dir: string): Promise<void> {
  let handle: fs.promises.FileHandle | undefined;
  try {
    handle = await fs.promises.open(dir, 'r');
    await handle.sync();
  } catch {
    // Not supported here (Windows): the rename is atomic all the same, only not yet flushed.
  } finally {
    await handle?.close().catch(() => undefined);
  }
}
