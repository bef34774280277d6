/**
 * A real S3-compatible server on loopback (s3rver, files in a temp folder) for the S3 media
 * store's tests: the AWS SDK talks HTTP to it as it would to AWS or MinIO. One per test file.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
// @ts-expect-error: s3rver ships no types; only its constructor, run and close are used.
import S3rver from '@20minutes/s3rver';
import type { S3Settings } from '../../src/media/store-settings.ts';

export interface S3Server {
  endpoint: string;
  bucket: string;
  /** Settings an S3 client needs to reach it. */
  settings: S3Settings;
  /** Where it keeps the objects: a test may look, never write. */
  folder: string;
  stop(): Promise<void>;
}

export const S3_BUCKET = 'team-clips';

export async function startS3Server(): Promise<S3Server> {
  const folder = await mkdtemp(path.join(tmpdir(), 's3-server-'));
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory: folder,
    configureBuckets: [{ name: S3_BUCKET }],
    // The SDK signs a bucket listing for "/bucket/", s3rver checks "/bucket"; AWS, MinIO and
    // R2 take either. Signatures are the SDK's business, not what these tests are about.
    allowMismatchedSignatures: true,
  });
  const { port } = (await server.run()) as { port: number };
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    endpoint,
    bucket: S3_BUCKET,
    folder,
    // Frozen, as the config hands settings over.
    settings: Object.freeze({
      endpoint,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: Object.freeze({ accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' }),
    }),
    async stop() {
      await server.close();
      await rm(folder, { recursive: true, force: true });
    },
  };
}
