/**
 * The REST routes for channel messages: posting one (with files, an upload limit per
 * channel, nonce dedupe, and an answer a test can hold back as if the upload were slow or
 * replace with a refusal) and editing one (refused once it is deleted or older than Discord
 * lets a bot edit).
 */
import { type Answer, answerInjected } from './http-bodies.ts';
import { messageJson } from './payloads.ts';
import type { FakeDiscordState } from './state.ts';
import type { FakeMessage, RecordedFile } from './types.ts';

/** POST /channels/:channelId/messages. */
export function postMessage(
  state: FakeDiscordState,
  channelId: string,
  body: Record<string, unknown>,
  files: RecordedFile[],
  answer: Answer,
): void {
  const { messages } = state;
  const refusal = files.length > 0 ? state.refusedUploads.get(channelId)?.shift() : undefined;
  if (refusal !== undefined) {
    answerInjected(answer, refusal);
    return;
  }
  const uploaded = files.reduce((sum, file) => sum + file.bytes.length, 0);
  if (uploaded > (state.uploadLimits.get(channelId) ?? Number.POSITIVE_INFINITY)) {
    answer(413, { message: 'Request entity too large', code: 40005 });
    return;
  }
  const nonce = typeof body.nonce === 'string' ? body.nonce : undefined;
  if (nonce !== undefined && body.enforce_nonce === true) {
    const earlier = messages.find((m) => m.channelId === channelId && m.nonce === nonce);
    if (earlier) {
      answer(200, messageJson(earlier, state.origin, state.botUserId));
      return;
    }
  }
  const message: FakeMessage = {
    id: state.snowflake(),
    channelId,
    content: typeof body.content === 'string' ? body.content : '',
    embeds: Array.isArray(body.embeds) ? (body.embeds as Record<string, unknown>[]) : [],
    attachments: files,
    components: Array.isArray(body.components)
      ? (body.components as Record<string, unknown>[])
      : [],
    edits: 0,
    createdAt: Date.now(),
  };
  if (nonce !== undefined) message.nonce = nonce;
  if (body.allowed_mentions !== undefined) message.allowedMentions = body.allowed_mentions;
  messages.push(message);
  const held =
    (files.length > 0 && state.holdUploadIn.delete(channelId)) ||
    state.holdPostIn.delete(channelId);
  if (held) {
    // Posted, but the bot does not hear so until released; `close` ends the connection.
    state.heldAnswers.push(() => answer(200, messageJson(message, state.origin, state.botUserId)));
    return;
  }
  answer(200, messageJson(message, state.origin, state.botUserId));
}

/** PATCH /channels/:channelId/messages/:messageId. */
export function editMessage(
  state: FakeDiscordState,
  channelId: string,
  messageId: string | undefined,
  body: Record<string, unknown> | undefined,
  answer: Answer,
): void {
  const message = state.messages.find((m) => m.id === messageId && m.channelId === channelId);
  if (!message) {
    answer(404, { message: 'Unknown Message', code: 10008 });
    return;
  }
  if (Date.now() - message.createdAt > (state.options.oldMessageEditAgeMs ?? 60 * 60_000)) {
    answer(400, {
      message: 'Maximum number of edits to messages older than 1 hour reached.',
      code: 30046,
    });
    return;
  }
  if (typeof body?.content === 'string') message.content = body.content;
  if (Array.isArray(body?.embeds)) message.embeds = body.embeds as Record<string, unknown>[];
  // As on Discord, an edit that leaves out the components keeps them.
  if (Array.isArray(body?.components)) {
    message.components = body.components as Record<string, unknown>[];
  }
  message.edits += 1;
  answer(200, messageJson(message, state.origin, state.botUserId));
}
