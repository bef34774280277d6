/**
 * Downloads a finished video from its signed link into a file, for posting into chat.
 *
 * The body is streamed to `<destination>.part` and renamed into place only once complete,
 * so a reader never sees half a video and memory use does not grow with the file. Links are
 * refused unless they are HTTPS and resolve to a public address (see address-guard.ts);
 * redirects are followed by hand so every hop is checked again. Broken transfers are
 * retried with back-off, and resumed with a Range request when the server allows it.
 * Error messages never contain the link itself: its query string is a credential.
 */
import { lookup as dnsLookup } from 'node:dns';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Agent, type Dispatcher, request } from 'undici';
import { type Clock, type Random, systemClock, systemRandom } from '../clock.ts';
import { assertSafeVideoUrl, guardLookup } from './address-guard.ts';
import { type BackoffPolicy, fullJitterDelay, parseRetryAfter } from './backoff.ts';
import { checkedVideoBytes, MP4_HEAD_BYTES, type Progress } from './checked-video-bytes.ts';
import { DownloadFailed, LinkExpired, SoraError, UnsafeVideoUrl, VideoTooLarge } from './errors.ts';

export interface DownloadOptions {
  /** Larger videos are refused: up front from Content-Length, or while streaming. */
  maxBytes: number;
  /** Allows http: and loopback/private addresses, for tests and the demo only. */
  allowPrivate: boolean;
  maxAttempts?: number;
  connectTimeoutMs?: number;
  headersTimeoutMs?: number;
  /** Longest silence between two chunks of the body, not a limit on the whole transfer. */
  bodyTimeoutMs?: number;
  maxRedirects?: number;
  clock?: Clock;
  random?: Random;
  /** Resolves host names; replaced in tests to point a name at a chosen address. */
  lookup?: typeof import('node:dns').lookup;
  signal?: AbortSignal;
}

export interface DownloadedVideo {
  path: string;
  bytes: number;
  contentType: string | undefined;
}

export const DOWNLOAD_DEFAULTS = {
  maxAttempts: 4,
  connectTimeoutMs: 10_000,
  headersTimeoutMs: 30_000,
  bodyTimeoutMs: 30_000,
  maxRedirects: 5,
  clock: systemClock,
  random: systemRandom,
  lookup: dnsLookup,
} as const satisfies Required<Omit<DownloadOptions, 'maxBytes' | 'allowPrivate' | 'signal'>>;

export const DOWNLOAD_BACKOFF = { baseMs: 1_000, capMs: 30_000 } as const satisfies BackoffPolicy;

/** Signed links answer these once they have expired (S3 and OSS say 403). */
const EXPIRED_STATUSES: ReadonlySet<number> = new Set([403, 404, 410]);
const REDIRECT_STATUSES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);
/** Low-level failures that another attempt may not meet. */
const TRANSIENT_CODES: ReadonlySet<string> = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'ERR_STREAM_PREMATURE_CLOSE',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);
/** Error bodies are small; anything bigger is cut off rather than read. */
const DISCARD_LIMIT_BYTES = 64 * 1024;

interface Context {
  agent: Agent;
  allowPrivate: boolean;
  maxBytes: number;
  maxAttempts: number;
  maxRedirects: number;
  clock: Clock;
  random: Random;
  signal: AbortSignal | undefined;
}

/** What is known about the partial file between attempts. */
interface Transfer {
  partPath: string;
  /** Bytes already in the .part file that the next attempt continues from (0: start over). */
  offset: number;
  /** The server advertised `Accept-Ranges: bytes`, so a broken transfer may be resumed. */
  resumable: boolean;
  /** Strong ETag of the response being resumed, sent as If-Range so a changed file restarts. */
  etag: string | undefined;
}

/** A failed attempt that is not one of the typed errors; `code` is what the log shows. */
class AttemptFailure extends Error {
  readonly code: string;
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;
  constructor(code: string, retryable: boolean, retryAfterMs?: number) {
    super(code);
    this.code = code;
    this.retryable = retryable;
    this.retryAfterMs = retryAfterMs;
  }
}

export async function fetchVideo(
  url: string,
  destination: string,
  options: DownloadOptions,
): Promise<DownloadedVideo> {
  const start = URL.canParse(url) ? new URL(url) : undefined;
  if (start === undefined) throw new UnsafeVideoUrl('it is not a valid link');
  assertSafeVideoUrl(start, options.allowPrivate);

  const agent = new Agent({
    connect: {
      timeout: options.connectTimeoutMs ?? DOWNLOAD_DEFAULTS.connectTimeoutMs,
      lookup: guardLookup(options.lookup ?? DOWNLOAD_DEFAULTS.lookup, options.allowPrivate),
    },
    headersTimeout: options.headersTimeoutMs ?? DOWNLOAD_DEFAULTS.headersTimeoutMs,
    bodyTimeout: options.bodyTimeoutMs ?? DOWNLOAD_DEFAULTS.bodyTimeoutMs,
  });
  const context: Context = {
    agent,
    allowPrivate: options.allowPrivate,
    maxBytes: options.maxBytes,
    maxAttempts: options.maxAttempts ?? DOWNLOAD_DEFAULTS.maxAttempts,
    maxRedirects: options.maxRedirects ?? DOWNLOAD_DEFAULTS.maxRedirects,
    clock: options.clock ?? DOWNLOAD_DEFAULTS.clock,
    random: options.random ?? DOWNLOAD_DEFAULTS.random,
    signal: options.signal,
  };
  const transfer: Transfer = {
    partPath: `${destination}.part`,
    offset: 0,
    resumable: false,
    etag: undefined,
  };
  try {
    await mkdir(dirname(destination), { recursive: true });
    const { bytes, contentType } = await downloadWithRetries(start, transfer, context);
    await rename(transfer.partPath, destination);
    return { path: destination, bytes, contentType };
  } catch (error) {
    await rm(transfer.partPath, { force: true });
    throw error;
  } finally {
    await agent.close();
  }
}

async function downloadWithRetries(
  start: URL,
  transfer: Transfer,
  context: Context,
): Promise<{ bytes: number; contentType: string | undefined }> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await downloadOnce(start, transfer, context);
    } catch (error) {
      if (error instanceof SoraError || context.signal?.aborted) throw error;
      const retryable = error instanceof AttemptFailure ? error.retryable : isTransient(error);
      if (!retryable || attempt >= context.maxAttempts) throw new DownloadFailed(attempt, error);
      await context.clock.sleep(retryDelay(error, attempt, context), context.signal);
      await prepareNextAttempt(transfer);
    }
  }
}

async function downloadOnce(
  start: URL,
  transfer: Transfer,
  context: Context,
): Promise<{ bytes: number; contentType: string | undefined }> {
  const { statusCode, headers, body } = await openFollowingRedirects(start, transfer, context);
  if (EXPIRED_STATUSES.has(statusCode)) {
    await discard(body);
    throw new LinkExpired(statusCode);
  }
  if (statusCode === 429 || statusCode >= 500) {
    await discard(body);
    const retryAfterMs = parseRetryAfter(headerValue(headers['retry-after']), context.clock.now());
    throw new AttemptFailure(`HTTP_${statusCode}`, true, retryAfterMs);
  }
  const resuming =
    statusCode === 206 &&
    transfer.offset > 0 &&
    rangeStart(headerValue(headers['content-range'])) === transfer.offset;
  if (statusCode === 206 || statusCode === 416) {
    if (!resuming) {
      // The range was not served as asked: the next attempt fetches the whole file.
      await discard(body);
      transfer.resumable = false;
      throw new AttemptFailure('RANGE_NOT_HONOURED', true);
    }
  } else if (statusCode !== 200) {
    await discard(body);
    throw new AttemptFailure(`HTTP_${statusCode}`, false);
  }

  const offset = resuming ? transfer.offset : 0;
  const length = Number.parseInt(headerValue(headers['content-length']) ?? '', 10);
  const expectedBytes = Number.isNaN(length) ? undefined : offset + length;
  if (expectedBytes !== undefined && expectedBytes > context.maxBytes) {
    await discard(body);
    throw new VideoTooLarge(context.maxBytes, expectedBytes);
  }
  if (!resuming) {
    transfer.resumable = headerValue(headers['accept-ranges'])?.toLowerCase() === 'bytes';
    const etag = headerValue(headers.etag);
    // If-Range only accepts a strong validator.
    transfer.etag = etag?.startsWith('W/') ? undefined : etag;
  }

  const contentType = headerValue(headers['content-type']);
  const progress: Progress = { bytes: offset, interruption: undefined };
  const file = createWriteStream(transfer.partPath, { flags: resuming ? 'a' : 'w' });
  try {
    await pipeline(checkedVideoBytes(body, progress, context.maxBytes, contentType), file);
  } finally {
    // A failed pipeline does not wait for the file's (lazy) open to finish; without this
    // wait the open could create the .part again after the clean-up has removed it.
    if (!file.closed) await new Promise<void>((resolve) => file.once('close', resolve));
  }
  if (progress.interruption !== undefined) throw progress.interruption;
  if (expectedBytes !== undefined && progress.bytes !== expectedBytes) {
    throw new AttemptFailure('INCOMPLETE_BODY', true);
  }
  return { bytes: progress.bytes, contentType };
}

/** Sends the request, following up to `maxRedirects` redirects and checking every hop. */
async function openFollowingRedirects(
  start: URL,
  transfer: Transfer,
  context: Context,
): Promise<Dispatcher.ResponseData> {
  const headers: Record<string, string> = {};
  if (transfer.offset > 0) {
    headers.range = `bytes=${transfer.offset}-`;
    if (transfer.etag !== undefined) headers['if-range'] = transfer.etag;
  }
  let current = start;
  for (let hops = 0; ; hops += 1) {
    assertSafeVideoUrl(current, context.allowPrivate);
    const response = await request(current, {
      dispatcher: context.agent,
      headers,
      signal: context.signal,
    });
    if (!REDIRECT_STATUSES.has(response.statusCode)) return response;
    await discard(response.body);
    const location = headerValue(response.headers.location);
    if (location === undefined) throw new AttemptFailure('REDIRECT_WITHOUT_LOCATION', false);
    if (hops >= context.maxRedirects) {
      throw new UnsafeVideoUrl(`it redirects more than ${context.maxRedirects} times`);
    }
    const next = URL.canParse(location, current.href) ? new URL(location, current) : undefined;
    if (next === undefined) throw new UnsafeVideoUrl('it redirects to an invalid link');
    current = next;
  }
}

async function prepareNextAttempt(transfer: Transfer): Promise<void> {
  const kept = transfer.resumable ? await fileSize(transfer.partPath) : 0;
  // Anything on disk has passed the MP4 check; less than a header is not worth a range.
  transfer.offset = kept >= MP4_HEAD_BYTES ? kept : 0;
}

function retryDelay(error: unknown, attempt: number, context: Context): number {
  const asked = error instanceof AttemptFailure ? error.retryAfterMs : undefined;
  if (asked !== undefined) return Math.min(asked, DOWNLOAD_BACKOFF.capMs);
  return fullJitterDelay(attempt, DOWNLOAD_BACKOFF, context.random);
}

function isTransient(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && TRANSIENT_CODES.has(code);
}

async function fileSize(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch {
    return 0;
  }
}

/** Reads away (or cuts off) a body we do not use, so the connection is not left hanging. */
async function discard(body: Dispatcher.ResponseData['body']): Promise<void> {
  await body.dump({ limit: DISCARD_LIMIT_BYTES }).catch(() => undefined);
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** The first byte position of a `Content-Range: bytes 100-199/200` header. */
function rangeStart(contentRange: string | undefined): number | undefined {
  const match = contentRange?.match(/^bytes (\d+)-\d+\/(\d+|\*)$/);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}
