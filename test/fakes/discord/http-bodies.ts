/**
 * The fake Discord's HTTP bodies: requests arrive as JSON or, when files are attached, as
 * multipart form data with a `payload_json` part; answers go out as JSON (or empty). Kept
 * apart so the REST routes deal only in parsed bodies and `answer(status, json)`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { InjectedError, RecordedFile } from './types.ts';

/** Sends the answer to the request being handled and records its status. */
export type Answer = (status: number, json?: unknown, headers?: Record<string, string>) => void;

/** The JSON body, or the `payload_json` part and the files of a multipart body. */
export async function readBody(
  req: IncomingMessage,
): Promise<{ body: Record<string, unknown> | undefined; files: RecordedFile[] }> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks);
  const type = req.headers['content-type'] ?? '';
  if (raw.length === 0) return { body: undefined, files: [] };
  if (!type.startsWith('multipart/form-data')) {
    return { body: JSON.parse(raw.toString('utf8')) as Record<string, unknown>, files: [] };
  }
  // Node's web Response parses multipart exactly as a browser would.
  const form = await new Response(raw, { headers: { 'content-type': type } }).formData();
  const files: RecordedFile[] = [];
  let body: Record<string, unknown> | undefined;
  for (const [key, value] of form.entries()) {
    if (key === 'payload_json' && typeof value === 'string') {
      body = JSON.parse(value) as Record<string, unknown>;
    } else if (typeof value !== 'string') {
      files.push({
        name: value.name,
        contentType: value.type,
        bytes: Buffer.from(await value.arrayBuffer()),
      });
    }
  }
  return { body, files };
}

/** Answers with an error a test queued: Discord's JSON error, or a 429 with Retry-After. */
export function answerInjected(answer: Answer, error: InjectedError): void {
  if (error.kind === 'rate-limit') {
    answer(
      429,
      {
        message: 'You are being rate limited.',
        retry_after: error.retryAfterSeconds,
        global: false,
      },
      { 'retry-after': String(error.retryAfterSeconds) },
    );
    return;
  }
  answer(error.status, { message: error.message, code: error.code });
}

export function send(
  res: ServerResponse,
  status: number,
  json?: unknown,
  headers: Record<string, string> = {},
): void {
  if (json === undefined) {
    res.writeHead(status, headers).end();
    return;
  }
  res
    .writeHead(status, { 'content-type': 'application/json', ...headers })
    .end(JSON.stringify(json));
}
