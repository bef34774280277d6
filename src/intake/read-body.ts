/**
 * A request body read whole, up to a limit, by raw-body (as Express reads them): past the
 * limit, or with a declared length over it, the reading stops at once and the caller
 * answers 413; the connection is then closed, not drained.
 */
import type { IncomingMessage } from 'node:http';
import getRawBody from 'raw-body';

export class BodyTooLarge extends Error {
  readonly limitBytes: number;
  constructor(limitBytes: number) {
    super(`request body over ${limitBytes} bytes`);
    this.limitBytes = limitBytes;
  }
}

/** The sender went away before the body ended: there is nobody to answer. */
export class BodyAborted extends Error {}

/** The body does not match its own Content-Length. */
export class BodyMalformed extends Error {}

export async function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  try {
    return await getRawBody(req, { limit: maxBytes, length: req.headers['content-length'] });
  } catch (error) {
    switch ((error as { type?: unknown }).type) {
      case 'entity.too.large':
        throw new BodyTooLarge(maxBytes);
      case 'request.aborted':
        throw new BodyAborted('the request ended before its body');
      case 'request.size.invalid':
        throw new BodyMalformed('The body is not as long as its Content-Length says.');
      default:
        throw error;
    }
  }
}
