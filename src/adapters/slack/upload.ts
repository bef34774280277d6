/**
 * The finished clip into a Slack channel, streamed from disk and shared at most once.
 *
 * `filesUploadV2` reads the whole file and buffers it again for the POST, so a 100 MiB clip
 * cost the bot several times that in memory. Its three steps are done here instead, the
 * bytes going from the file to `upload_url` chunk by chunk with a Content-Length.
 *
 * Slack has no idempotency key, so the delivery record says how far an upload went: the
 * file id is recorded before the bytes go out, and `sharing` before the share is asked for.
 * A retry (after a crash, or a lost answer) looks at the recorded file first: shared in the
 * channel means done; asked to be shared but not visible yet means wait, never ask twice;
 * never asked means the old upload is left unshared (Slack drops it) and a fresh one starts.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { ErrorCode, type WebClient } from '@slack/web-api';
import { request } from 'undici';
import type { Logger } from '../../log.ts';
import type { DeliveryProgress, DeliveryUpload } from '../../watch/watch.ts';
import type { ChannelCalls } from './channel-calls.ts';
import { isSharedIn } from './file-shares.ts';
import { isPlaceGoneCode, slackErrorCode } from './slack-errors.ts';

export interface ClipUpload {
  channelId: string;
  path: string;
  filename: string;
  title: string;
  initialComment: string;
  /** What the delivery record holds of an earlier try, if any. */
  previous?: DeliveryUpload;
  progress?: DeliveryProgress;
}

export interface ClipUploaderOptions {
  /** Longest wait for Slack's answer once the last byte is sent, and between two chunks (ms). */
  requestTimeoutMs: number;
}

/** The upload link refused the bytes: shaped like the WebClient's own HTTP error for the log. */
export class UploadRefused extends Error {
  override readonly name = 'WebAPIHTTPError';
  readonly code = ErrorCode.HTTPError;
  readonly statusCode: number;

  constructor(statusCode: number) {
    super(`An HTTP protocol error occurred: statusCode = ${statusCode}`);
    this.statusCode = statusCode;
  }
}

/**
 * The share was asked for before a restart or a lost answer and is not visible yet: the
 * delivery is tried again later, which looks again and never asks a second time.
 */
export class ShareNotVisibleYet extends Error {}

export class ClipUploader {
  readonly #client: WebClient;
  readonly #calls: ChannelCalls;
  readonly #logger: Logger;
  readonly #options: ClipUploaderOptions;

  constructor(
    client: WebClient,
    calls: ChannelCalls,
    logger: Logger,
    options: ClipUploaderOptions,
  ) {
    this.#client = client;
    this.#calls = calls;
    this.#logger = logger;
    this.#options = options;
  }

  /**
   * Uploads and shares the clip, or finds it already shared; resolves to the shared file's
   * id. Slack's refusals are thrown.
   */
  async upload(clip: ClipUpload): Promise<string> {
    const { channelId, progress } = clip;
    if (clip.previous !== undefined && (await this.#alreadyShared(channelId, clip.previous))) {
      return clip.previous.fileId;
    }
    const { size } = await stat(clip.path);
    const target = await this.#calls.run(channelId, 'files.getUploadURLExternal', () =>
      this.#client.files.getUploadURLExternal({ filename: clip.filename, length: size }),
    );
    const fileId = target.file_id;
    const url = target.upload_url;
    if (fileId === undefined || url === undefined) {
      throw new Error('files.getUploadURLExternal answered without a file id or upload URL');
    }
    await progress?.recordUpload({ fileId });
    await this.#send(url, clip.path, size);
    // From here the share may happen without an answer reaching us: never ask for it again.
    await progress?.recordUpload({ fileId, sharing: true });
    await this.#calls.run(channelId, 'files.completeUploadExternal', () =>
      this.#client.files.completeUploadExternal({
        files: [{ id: fileId, title: clip.title }],
        channel_id: channelId,
        initial_comment: clip.initialComment,
      }),
    );
    return fileId;
  }

  /**
   * True when the recorded file is shared in the channel. Throws `ShareNotVisibleYet` when
   * its share was asked for but is not visible: asking again could post the clip twice.
   */
  async #alreadyShared(channelId: string, previous: DeliveryUpload): Promise<boolean> {
    let shared = false;
    try {
      const answer = await this.#calls.run(channelId, 'files.info', () =>
        this.#client.files.info({ file: previous.fileId }),
      );
      shared = isSharedIn(answer.file, channelId);
    } catch (error) {
      const code = slackErrorCode(error);
      if (isPlaceGoneCode(code)) throw error;
      // Not a lookup of an unshared file: without the answer a share cannot be ruled out.
      if (code !== 'file_not_found' && code !== 'file_deleted' && previous.sharing) {
        throw new ShareNotVisibleYet(`files.info of ${previous.fileId} failed`, { cause: error });
      }
      this.#logger.info({ channelId, fileId: previous.fileId, code }, 'earlier upload not found');
    }
    if (shared) {
      this.#logger.info({ channelId, fileId: previous.fileId }, 'clip already shared; not again');
      return true;
    }
    if (previous.sharing) {
      throw new ShareNotVisibleYet(
        `the share of ${previous.fileId} in ${channelId} was asked for and is not visible yet`,
      );
    }
    // Never shared: Slack drops an upload that is never completed, so a fresh one is safe.
    this.#logger.info({ channelId, fileId: previous.fileId }, 'earlier upload unshared; again');
    return false;
  }

  /** POSTs the file to its upload link as a stream: never more than a few chunks in memory. */
  async #send(url: string, path: string, size: number): Promise<void> {
    const timeout = this.#options.requestTimeoutMs;
    const answer = await request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream', 'content-length': String(size) },
      body: createReadStream(path),
      headersTimeout: timeout,
      bodyTimeout: timeout,
    });
    // Read (and drop) the short answer so the connection goes back to the pool.
    await answer.body.dump();
    if (answer.statusCode < 200 || answer.statusCode >= 300) {
      throw new UploadRefused(answer.statusCode);
    }
  }
}
