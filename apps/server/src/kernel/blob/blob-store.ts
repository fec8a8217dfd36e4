import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';

/**
 * Where file contents live (documents now; attachments and exports later): a local folder by
 * default, or an S3-compatible bucket. The database keeps the metadata and the key; the store
 * keeps the bytes. Keys are made by Kontor (`newBlobKey()`), never from user input.
 */
export type BlobBody = Buffer | Uint8Array | Readable | AsyncIterable<Uint8Array>;

export type BlobStore = {
  readonly kind: 'local' | 's3';
  /**
   * Writes the whole body under `key`, atomically: until it has all arrived, nothing is visible
   * under the key, and a write that fails (or a process that dies) leaves nothing under it.
   * An error thrown by the body (a size limit, say) rejects the put with that error.
   */
  put(key: string, body: BlobBody, options?: { contentType?: string }): Promise<{ size: number }>;
  /** The blob's bytes; `BlobNotFoundError` when there is none. */
  get(key: string): Promise<Readable>;
  stat(key: string): Promise<{ size: number } | undefined>;
  exists(key: string): Promise<boolean>;
  /** Removes the blob. A blob that is not there is not an error: deletions are retried. */
  delete(key: string): Promise<void>;
  /** Removes what an interrupted write may have left outside the keys (temporary files). */
  cleanUp(olderThanMs?: number): Promise<number>;
  close(): Promise<void>;
};

export class BlobNotFoundError extends Error {
  constructor(readonly key: string) {
    super(`no blob under key ${key}`);
    this.name = 'BlobNotFoundError';
  }
}

/**
 * Lower-case letters, digits, `_` and `-` in up to eight `/`-separated segments: no dots, no
 * leading slash, no `..`, nothing a file system or an S3 console reads as special.
 */
const KEY = /^[a-z0-9][a-z0-9_-]{0,99}(\/[a-z0-9][a-z0-9_-]{0,99}){0,7}$/;

export function isBlobKey(key: string): boolean {
  return KEY.test(key);
}

export function assertBlobKey(key: string): void {
  if (!KEY.test(key)) throw new Error(`not a valid blob key: ${JSON.stringify(key.slice(0, 120))}`);
}

/** A fresh key under the tenant's prefix: `<tenant id>/<random uuid>`. */
export function newBlobKey(tenantId: string): string {
  const key = `${tenantId.toLowerCase()}/${randomUUID()}`;
  assertBlobKey(key);
  return key;
}

/** Any body as an async iterable of byte chunks. */
export async function* chunksOf(body: BlobBody): AsyncIterable<Buffer> {
  if (body instanceof Uint8Array) {
    yield Buffer.from(body.buffer, body.byteOffset, body.byteLength);
    return;
  }
  for await (const chunk of body as AsyncIterable<Uint8Array | string>) {
    yield typeof chunk === 'string'
      ? Buffer.from(chunk)
      : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  }
}
