import type { Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { assertBlobKey, type BlobBody, BlobNotFoundError, type BlobStore, chunksOf } from './blob-store.ts';

export type S3BlobStoreOptions = {
  bucket: string;
  /** An S3-compatible server (MinIO, Garage, Ceph, s3rver …); unset: AWS itself. */
  endpoint: string | undefined;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** `https://host/bucket/key` instead of `https://bucket.host/key`; most self-hosted servers need it. */
  forcePathStyle: boolean;
  /** Prepended to every key, e.g. `kontor/` to share a bucket. */
  prefix?: string;
  /** Bodies larger than this go up in parts of this size (S3's minimum is 5 MiB). */
  partSize?: number;
};

const DEFAULT_PART_SIZE = 8 * 1024 * 1024;

/**
 * Blobs in an S3-compatible bucket. Credentials come from the configuration (the environment)
 * only — never from the SDK's search of profile files or instance metadata. A body is read in
 * parts of `partSize`: a small one goes up with one PutObject, a larger one as a multipart
 * upload, so memory stays bounded. S3 makes an object visible only once it is complete, and a
 * failed multipart upload is aborted. Bodies are sent as buffers of known length, so the
 * SDK's default integrity checksums (CRC32 since 2025) work with S3-compatible servers too
 * (tested against s3rver); documents also keep their own SHA-256 in the database.
 */
export function createS3BlobStore(options: S3BlobStoreOptions): BlobStore {
  const client = new S3Client({
    region: options.region,
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    forcePathStyle: options.forcePathStyle,
    credentials: { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey },
  });
  const Bucket = options.bucket;
  const prefix = options.prefix ?? '';
  const partSize = options.partSize ?? DEFAULT_PART_SIZE;

  function keyOf(key: string): string {
    assertBlobKey(key);
    return `${prefix}${key}`;
  }

  async function stat(key: string): Promise<{ size: number } | undefined> {
    try {
      const head = await client.send(new HeadObjectCommand({ Bucket, Key: keyOf(key) }));
      return { size: head.ContentLength ?? 0 };
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  return {
    kind: 's3',

    async put(key, body: BlobBody, putOptions = {}) {
      const Key = keyOf(key);
      const ContentType = putOptions.contentType ?? 'application/octet-stream';
      let pending: Buffer[] = [];
      let pendingBytes = 0;
      let size = 0;
      let uploadId: string | undefined;
      const parts: { PartNumber: number; ETag: string }[] = [];

      const sendPart = async (part: Buffer) => {
        uploadId ??= (await client.send(new CreateMultipartUploadCommand({ Bucket, Key, ContentType })))
          .UploadId;
        if (!uploadId) throw new Error('the S3 server returned no upload id');
        const PartNumber = parts.length + 1;
        const sent = await client.send(
          new UploadPartCommand({ Bucket, Key, UploadId: uploadId, PartNumber, Body: part }),
        );
        if (!sent.ETag) throw new Error('the S3 server returned no ETag for a part');
        parts.push({ PartNumber, ETag: sent.ETag });
      };

      try {
        for await (const chunk of chunksOf(body)) {
          pending.push(chunk);
          pendingBytes += chunk.length;
          size += chunk.length;
          while (pendingBytes >= partSize) {
            const all = Buffer.concat(pending);
            await sendPart(all.subarray(0, partSize));
            const rest = all.subarray(partSize);
            pending = rest.length > 0 ? [rest] : [];
            pendingBytes = rest.length;
          }
        }
        if (uploadId === undefined) {
          const whole = Buffer.concat(pending);
          await client.send(
            new PutObjectCommand({ Bucket, Key, Body: whole, ContentLength: whole.length, ContentType }),
          );
          return { size };
        }
        if (pendingBytes > 0) await sendPart(Buffer.concat(pending));
        await client.send(
          new CompleteMultipartUploadCommand({
            Bucket,
            Key,
            UploadId: uploadId,
            MultipartUpload: { Parts: parts },
          }),
        );
        return { size };
      } catch (error) {
        if (uploadId !== undefined) {
          await client
            .send(new AbortMultipartUploadCommand({ Bucket, Key, UploadId: uploadId }))
            .catch(() => undefined);
        }
        throw error;
      }
    },

    async get(key) {
      try {
        const object = await client.send(new GetObjectCommand({ Bucket, Key: keyOf(key) }));
        if (!object.Body) throw new BlobNotFoundError(key);
        return object.Body as Readable;
      } catch (error) {
        if (isNotFound(error)) throw new BlobNotFoundError(key);
        throw error;
      }
    },

    stat,

    async exists(key) {
      return (await stat(key)) !== undefined;
    },

    async delete(key) {
      // S3 answers 204 whether or not the object was there.
      await client.send(new DeleteObjectCommand({ Bucket, Key: keyOf(key) }));
    },

    async cleanUp() {
      // Aborted uploads are aborted above; for parts a crash left behind, give the bucket a
      // lifecycle rule (AbortIncompleteMultipartUpload), as S3's documentation recommends.
      return 0;
    },

    async close() {
      client.destroy();
    },
  };
}

function isNotFound(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e.name === 'NoSuchKey' || e.name === 'NotFound' || e.$metadata?.httpStatusCode === 404;
}
