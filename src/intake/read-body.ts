/**
 * A request body read whole, up to a limit. Past it the reading stops at once (nothing more
 * is buffered) and the caller answers 413; the connection is then closed, not drained.
 */
import type { IncomingMessage } from 'node:http';

export class BodyTooLarge extends Error {
  readonly limitBytes: number;
  constructor(limitBytes: number) {
    super(`request body over ${limitBytes} bytes`);
    this.limitBytes = limitBytes;
  }
}

/** The sender went away before the body ended: there is nobody to answer. */
export class BodyAborted extends Error {}

export function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) {
    req.pause();
    return Promise.reject(new BodyTooLarge(maxBytes));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        stop();
        req.pause();
        reject(new BodyTooLarge(maxBytes));
      } else {
        chunks.push(chunk);
      }
    };
    const onEnd = () => {
      stop();
      resolve(Buffer.concat(chunks, size));
    };
    const onClose = () => {
      stop();
      reject(new BodyAborted('the request ended before its body'));
    };
    const stop = () => {
      req.off('data', onData).off('end', onEnd).off('error', onClose).off('close', onClose);
    };
    req.on('data', onData).on('end', onEnd).on('error', onClose).on('close', onClose);
  });
}
