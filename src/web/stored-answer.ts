/**
 * Answers a request for a kept file (a clip, a poster) from the clip library, wherever the
 * library keeps it: `Range` (one range: 206; beyond the end: 416; several: the whole file, as
 * most servers do), conditional requests (`If-None-Match`, `If-Modified-Since`: 304; `If-Range`)
 * and HEAD. The file is streamed, never read whole.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import fresh from 'fresh';
import parseRange from 'range-parser';
import type { ByteRange, StoredBytes } from '../watch/kept-clip.ts';

export interface StoredFile {
  /** The whole file's size. */
  bytes: number;
  /** Changes whenever the file may have (a clip kept again): the ETag and Last-Modified. */
  version: { tag: string; modifiedAt: number };
  /** Opens the file, or the part `range` names; undefined when it is gone meanwhile. */
  open(range?: ByteRange): Promise<StoredBytes | undefined>;
}

export type StoredOutcome = 'sent' | 'gone';

/**
 * Writes the answer, with `headers` added (type, disposition, security headers). 'gone' means
 * the file disappeared before its first byte and nothing was written: the caller answers 404.
 */
export async function answerStored(
  req: IncomingMessage,
  res: ServerResponse,
  file: StoredFile,
  headers: Record<string, string>,
): Promise<StoredOutcome> {
  const validators = {
    etag: `"${file.version.tag}"`,
    'last-modified': new Date(file.version.modifiedAt).toUTCString(),
  };
  const common = {
    ...headers,
    ...validators,
    'accept-ranges': 'bytes',
    'cache-control': 'no-cache',
  };
  if (fresh(req.headers, validators)) {
    res.writeHead(304, common).end();
    return 'sent';
  }
  const range = wantedRange(req, file.bytes, validators.etag);
  if (range === 'unsatisfiable') {
    res.writeHead(416, { ...common, 'content-range': `bytes */${file.bytes}` }).end();
    return 'sent';
  }
  const length = range === undefined ? file.bytes : range.end - range.start + 1;
  const status = range === undefined ? 200 : 206;
  const partHeaders =
    range === undefined
      ? {}
      : { 'content-range': `bytes ${range.start}-${range.end}/${file.bytes}` };
  if (req.method === 'HEAD') {
    res.writeHead(status, { ...common, ...partHeaders, 'content-length': length }).end();
    return 'sent';
  }
  const stored = await file.open(range);
  if (stored === undefined) return 'gone';
  res.writeHead(status, { ...common, ...partHeaders, 'content-length': length });
  try {
    await pipeline(stored.body, res);
  } catch {
    // The visitor went away, or the store broke off mid-file: the response is cut either way.
    stored.body.destroy();
    res.destroy();
  }
  return 'sent';
}

/** The one range asked for, 'unsatisfiable', or undefined for the whole file. */
function wantedRange(
  req: IncomingMessage,
  bytes: number,
  etag: string,
): ByteRange | 'unsatisfiable' | undefined {
  const header = req.headers.range;
  if (header === undefined || bytes === 0) return undefined;
  // If-Range: the range only holds for the version the visitor has; else the whole file.
  const ifRange = req.headers['if-range'];
  if (ifRange !== undefined && ifRange !== etag) return undefined;
  const ranges = parseRange(bytes, header, { combine: true });
  if (ranges === -1) return 'unsatisfiable';
  if (ranges === -2 || ranges.type !== 'bytes' || ranges.length !== 1) return undefined;
  return ranges[0];
}
