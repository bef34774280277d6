/**
 * The media store in a bucket of S3-compatible object storage (AWS S3, MinIO, R2, …), through
 * the AWS SDK: files go up as streamed multipart uploads (`@aws-sdk/lib-storage`), so a clip is
 * never held in memory whole; reads ask for the byte range a player wants.
 */
import { createReadStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import type { ByteRange, StoredBytes } from '../watch/kept-clip.ts';
import type { MediaStore } from './media-store.ts';
import type { S3Location, S3Settings } from './store-settings.ts';

/**
 * Multipart parts of 5 MiB (S3's smallest), one at a time: `npm run bench:delivery` measured
 * 32 MiB of growth for a 200 MiB clip this way, 57 MiB with two parts at once (the target is
 * 64 MiB), for about a third more time.
 */
const PART_BYTES = 5 * 1024 * 1024;
const PARTS_AT_ONCE = 1;
/**
 * Storage that stops answering fails a request within these, rather than holding a delivery
 * (which waits for the clip to be kept) for long: the SDK makes three attempts.
 */
const DEFAULT_TIMEOUTS: S3Timeouts = { connectMs: 5_000, idleMs: 15_000 };

export interface S3Timeouts {
  /** To open a connection. */
  connectMs: number;
  /** The longest silence within one request (not its whole length: a part may take a while). */
  idleMs: number;
}

export class S3MediaStore implements MediaStore {
  readonly description: string;
  readonly #client: S3Client;
  readonly #location: S3Location;

  constructor(location: S3Location, settings: S3Settings, timeouts = DEFAULT_TIMEOUTS) {
    this.#location = location;
    this.description = `s3://${location.bucket}/${location.prefix}`;
    this.#client = new S3Client({
      region: settings.region,
      forcePathStyle: settings.forcePathStyle,
      ...(settings.endpoint !== undefined ? { endpoint: settings.endpoint } : {}),
      // A copy: the SDK marks the credentials it was given, and the config's are frozen.
      ...(settings.credentials !== undefined ? { credentials: { ...settings.credentials } } : {}),
      // Checksums only where S3 requires them: several S3-compatible services refuse the
      // trailing checksums the SDK would otherwise add to every upload.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      requestHandler: {
        connectionTimeout: timeouts.connectMs,
        requestTimeout: timeouts.idleMs,
        // Without it the SDK only warns on the console, and waits on.
        throwOnRequestTimeout: true,
      },
    });
  }

  async putFile(key: string, file: string, contentType: string): Promise<void> {
    const upload = new Upload({
      client: this.#client,
      params: {
        Bucket: this.#location.bucket,
        Key: this.#keyOf(key),
        Body: createReadStream(file),
        ContentType: contentType,
      },
      partSize: PART_BYTES,
      queueSize: PARTS_AT_ONCE,
    });
    await upload.done();
    await rm(file, { force: true });
  }

  async putText(key: string, text: string, contentType: string): Promise<void> {
    await this.#client.send(
      new PutObjectCommand({
        Bucket: this.#location.bucket,
        Key: this.#keyOf(key),
        Body: text,
        ContentType: contentType,
      }),
    );
  }

  async read(key: string, range?: ByteRange): Promise<StoredBytes | undefined> {
    try {
      const answer = await this.#client.send(
        new GetObjectCommand({
          Bucket: this.#location.bucket,
          Key: this.#keyOf(key),
          ...(range !== undefined ? { Range: `bytes=${range.start}-${range.end}` } : {}),
        }),
      );
      const body = answer.Body as Readable | undefined;
      if (body === undefined) return undefined;
      return { body, bytes: wholeSizeOf(answer.ContentRange, answer.ContentLength) };
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }

  async readText(key: string): Promise<string | undefined> {
    const stored = await this.read(key);
    return stored === undefined ? undefined : text(stored.body);
  }

  async remove(key: string): Promise<void> {
    await this.#client.send(
      new DeleteObjectCommand({ Bucket: this.#location.bucket, Key: this.#keyOf(key) }),
    );
  }

  async keys(): Promise<string[]> {
    const keys: string[] = [];
    let continuationToken: string | undefined;
    do {
      const page = await this.#client.send(
        new ListObjectsV2Command({
          Bucket: this.#location.bucket,
          Prefix: this.#location.prefix,
          ...(continuationToken !== undefined ? { ContinuationToken: continuationToken } : {}),
        }),
      );
      for (const object of page.Contents ?? []) {
        const name = object.Key?.slice(this.#location.prefix.length);
        // Only the prefix's own level: a "folder" below it belongs to someone else.
        if (name !== undefined && name !== '' && !name.includes('/')) keys.push(name);
      }
      continuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (continuationToken !== undefined);
    return keys;
  }

  /** Lets go of the client's connections. */
  close(): void {
    this.#client.destroy();
  }

  #keyOf(key: string): string {
    return `${this.#location.prefix}${key}`;
  }
}

/** The whole object's size: from `Content-Range: bytes 0-9/1234` when a range was read. */
function wholeSizeOf(contentRange: string | undefined, contentLength: number | undefined): number {
  const total = contentRange?.match(/\/(\d+)$/)?.[1];
  return total !== undefined ? Number(total) : (contentLength ?? 0);
}

function isMissing(error: unknown): boolean {
  return (
    error instanceof S3ServiceException &&
    (error.name === 'NoSuchKey' || error.$metadata.httpStatusCode === 404)
  );
}
