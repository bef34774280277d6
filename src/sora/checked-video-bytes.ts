/**
 * The body of a video download, checked as it streams: counted against the size cap, and
 * held back until its first bytes show an MP4, so an HTML page never reaches the disk.
 */
import { NotAVideo, SoraError, VideoTooLarge } from './errors.ts';

/** An MP4 starts with a box whose type, at bytes 4..7, is "ftyp". */
export const MP4_HEAD_BYTES = 8;

export interface Progress {
  /** Bytes of the whole file received so far, counting a resumed range's offset. */
  bytes: number;
  /** The transfer error that ended the body early, raised once the file is flushed. */
  interruption: unknown;
}

/**
 * Yields the body while counting it against the cap, and holds back the first bytes until
 * they look like an MP4, so an HTML page is never written to disk. A broken transfer ends
 * the stream normally (the error is kept in `progress`) instead of failing the pipeline:
 * a failed pipeline throws away what is still buffered for the file, and every byte that
 * reaches the disk is a byte a resume does not fetch again.
 */
export async function* checkedVideoBytes(
  body: AsyncIterable<Buffer>,
  progress: Progress,
  maxBytes: number,
  contentType: string | undefined,
): AsyncGenerator<Buffer> {
  let head: Buffer | undefined = progress.bytes >= MP4_HEAD_BYTES ? undefined : Buffer.alloc(0);
  try {
    for await (const chunk of body) {
      progress.bytes += chunk.length;
      // The observed size is only a lower bound, so it is not reported as the size.
      if (progress.bytes > maxBytes) throw new VideoTooLarge(maxBytes);
      if (head === undefined) {
        yield chunk;
        continue;
      }
      head = Buffer.concat([head, chunk]);
      if (head.length < MP4_HEAD_BYTES) continue;
      if (head.toString('latin1', 4, 8) !== 'ftyp') throw new NotAVideo(contentType);
      yield head;
      head = undefined;
    }
  } catch (error) {
    if (error instanceof SoraError) throw error;
    progress.interruption = error;
    return;
  }
  if (head !== undefined) throw new NotAVideo(contentType);
}
