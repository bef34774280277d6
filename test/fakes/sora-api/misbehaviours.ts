/**
 * The misbehaviours a test can queue on the fake Sora API (odd statuses, HTML pages,
 * truncated JSON, resets, delays, hangs, answers of the wrong shape) and how each is carried
 * out on a request, so a client's retry and error paths can be driven one answer at a time.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { STATUS_CODES } from 'node:http';
import { send, sendJson } from './http-bodies.ts';
import type { Misbehaviour } from './types.ts';

/** How the request would be answered normally, for the misbehaviours that need it. */
export interface NormalAnswer {
  proceed: () => void;
  sampleJson: () => string;
}

/** Answers with `step` instead; timers of slow answers go in `timers` so close() can cancel them. */
export function applyMisbehaviour(
  step: Misbehaviour,
  req: IncomingMessage,
  res: ServerResponse,
  normal: NormalAnswer,
  timers: Set<NodeJS.Timeout>,
): void {
  switch (step.kind) {
    case 'status': {
      const headers: Record<string, string> = {
        'content-type': step.contentType ?? 'application/json',
      };
      if (step.retryAfter !== undefined) headers['retry-after'] = step.retryAfter;
      const body =
        step.body ?? JSON.stringify({ error: { message: STATUS_CODES[step.status] ?? 'Error' } });
      send(res, step.status, headers, body);
      return;
    }
    case 'html': {
      const status = step.status ?? 200;
      const title = STATUS_CODES[status] ?? 'Error';
      send(
        res,
        status,
        { 'content-type': 'text/html; charset=utf-8' },
        `<!DOCTYPE html>\n<html><head><title>${title}</title></head><body><h1>${title}</h1><p>nginx</p></body></html>\n`,
      );
      return;
    }
    case 'truncated': {
      if (res.destroyed) return;
      const json = normal.sampleJson();
      // write() before end() makes Node use chunked encoding: no Content-Length to contradict,
      // so the client sees a well-formed response whose JSON simply stops.
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write(json.slice(0, Math.floor(json.length / 2)));
      res.end();
      return;
    }
    case 'reset':
      req.socket.destroy();
      return;
    case 'slow': {
      const timer = setTimeout(() => {
        timers.delete(timer);
        normal.proceed();
      }, step.ms);
      timers.add(timer);
      res.on('close', () => {
        clearTimeout(timer);
        timers.delete(timer);
      });
      return;
    }
    case 'hang':
      // Left unanswered; close() destroys the socket.
      return;
    case 'wrong-shape':
      sendJson(res, 200, { data: null });
      return;
  }
}
