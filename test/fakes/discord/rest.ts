/**
 * The fake Discord's REST API under /api/v10: records every call, gives any answer a test
 * queued for the route instead of the normal one (a 429 always with Retry-After, as
 * Discord's), then routes to the gateway lookup, the interaction and message routes, and
 * command registration. Anything else is a 404.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type Answer, answerInjected, readBody, send } from './http-bodies.ts';
import { answerInteractionCallback, answerOriginalReplyEdit } from './interaction-routes.ts';
import { editMessage, postMessage } from './message-routes.ts';
import type { FakeDiscordState } from './state.ts';
import type { RecordedCall } from './types.ts';

const API_PREFIX = '/api/v10';

export async function handleRestRequest(
  state: FakeDiscordState,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const url = new URL(req.url ?? '/', state.origin);
  const method = req.method ?? 'GET';
  const path = url.pathname.startsWith(API_PREFIX)
    ? url.pathname.slice(API_PREFIX.length)
    : url.pathname;
  const { body, files } = await readBody(req);
  const call: RecordedCall = { method, path, files, status: 0 };
  if (body !== undefined) call.body = body;
  state.calls.push(call);
  const answer: Answer = (status, json, headers = {}) => {
    call.status = status;
    send(res, status, json, headers);
  };

  const queued = state.injected.get(`${method} ${path}`)?.shift();
  if (queued !== undefined) {
    answerInjected(answer, queued);
    return;
  }

  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  if (method === 'GET' && path === '/gateway/bot') {
    answer(200, {
      url: state.gatewayUrl,
      shards: 1,
      session_start_limit: { total: 1000, remaining: 1000, reset_after: 0, max_concurrency: 1 },
    });
    return;
  }
  if (method === 'POST' && parts[0] === 'interactions' && parts[3] === 'callback') {
    answerInteractionCallback(state, parts, body, answer);
    return;
  }
  if (method === 'PATCH' && parts[0] === 'webhooks' && parts[4] === '@original') {
    answerOriginalReplyEdit(state, parts, body, answer);
    return;
  }
  if (parts[0] === 'channels' && parts[2] === 'messages') {
    const channelId = parts[1] ?? '';
    if (method === 'POST' && parts.length === 3) {
      postMessage(state, channelId, body ?? {}, files, answer);
      return;
    }
    if (method === 'PATCH' && parts.length === 4) {
      editMessage(state, channelId, parts[3], body, answer);
      return;
    }
  }
  if (method === 'PUT' && parts[0] === 'applications' && parts.at(-1) === 'commands') {
    const list = Array.isArray(body) ? body : [];
    answer(
      200,
      list.map((command: object) => ({
        ...command,
        id: state.snowflake(),
        application_id: state.applicationId,
      })),
    );
    return;
  }
  answer(404, { message: '404: Not Found', code: 0 });
}
