import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { ConfigError, loadConfig } from '../config.ts';

// The blob store and document limits as read from the environment (kernel/config.ts).

test('by default files go to <data dir>/blobs, following --data, and documents may be 25 MiB', () => {
  assert.deepEqual(loadConfig({}).blobs, { kind: 'local', dir: path.join('./.kontor-data', 'blobs') });
  assert.deepEqual(loadConfig({ KONTOR_DATA_DIR: '/srv/kontor' }).blobs, {
    kind: 'local',
    dir: '/srv/kontor/blobs',
  });
  assert.deepEqual(loadConfig({}, { dataDir: '/tmp/other' }).blobs, {
    kind: 'local',
    dir: '/tmp/other/blobs',
  });
  assert.deepEqual(loadConfig({ KONTOR_BLOB_DIR: '/mnt/files' }).blobs, { kind: 'local', dir: '/mnt/files' });
  assert.equal(loadConfig({}).documents.maxFileBytes, 25 * 1024 * 1024);
  assert.equal(loadConfig({ KONTOR_DOCUMENT_MAX_MB: '5' }).documents.maxFileBytes, 5 * 1024 * 1024);
});

test('a bucket selects S3, with credentials from the environment only', () => {
  const config = loadConfig({
    KONTOR_S3_BUCKET: 'kontor-files',
    KONTOR_S3_ENDPOINT: 'http://minio:9000',
    KONTOR_S3_ACCESS_KEY_ID: 'AKIDEXAMPLE',
    KONTOR_S3_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG',
    KONTOR_S3_PREFIX: 'tenant-files/',
  });
  assert.deepEqual(config.blobs, {
    kind: 's3',
    bucket: 'kontor-files',
    endpoint: 'http://minio:9000',
    region: 'us-east-1',
    accessKeyId: 'AKIDEXAMPLE',
    secretAccessKey: 'wJalrXUtnFEMI/K7MDENG',
    forcePathStyle: true,
    prefix: 'tenant-files/',
  });
  const aws = loadConfig({
    KONTOR_S3_BUCKET: 'kontor-files',
    KONTOR_S3_REGION: 'eu-central-2',
    KONTOR_S3_FORCE_PATH_STYLE: 'false',
    KONTOR_S3_ACCESS_KEY_ID: 'a',
    KONTOR_S3_SECRET_ACCESS_KEY: 'b',
  }).blobs;
  assert.equal(aws.kind === 's3' && aws.endpoint, undefined);
  assert.equal(aws.kind === 's3' && aws.forcePathStyle, false);
});

test('half an S3 configuration is refused, naming each missing or stray variable, never a secret', () => {
  assert.throws(
    () => loadConfig({ KONTOR_S3_BUCKET: 'kontor-files', KONTOR_BLOB_DIR: '/mnt/files' }),
    (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.deepEqual(
        error.problems.map((p) => p.split(':')[0]),
        ['KONTOR_BLOB_DIR', 'KONTOR_S3_ACCESS_KEY_ID', 'KONTOR_S3_SECRET_ACCESS_KEY'],
      );
      return true;
    },
  );
  assert.throws(
    () => loadConfig({ KONTOR_S3_ENDPOINT: 'http://minio:9000', KONTOR_S3_SECRET_ACCESS_KEY: 'topsecret' }),
    (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.match(error.message, /KONTOR_S3_ENDPOINT: is set, but KONTOR_S3_BUCKET is not/);
      assert.doesNotMatch(error.message, /topsecret/);
      return true;
    },
  );
  assert.throws(
    () => loadConfig({ KONTOR_S3_BUCKET: 'Not_A_Bucket' }),
    /KONTOR_S3_BUCKET: must be an S3 bucket name/,
  );
  assert.throws(() => loadConfig({ KONTOR_S3_PREFIX: '/abs' }), /KONTOR_S3_PREFIX/);
  assert.throws(
    () => loadConfig({ KONTOR_DOCUMENT_MAX_MB: '0' }),
    /KONTOR_DOCUMENT_MAX_MB: must be 1 or more/,
  );
  assert.throws(
    () => loadConfig({ KONTOR_S3_FORCE_PATH_STYLE: 'yes' }),
    /KONTOR_S3_FORCE_PATH_STYLE: must be true or false/,
  );
});
