/**
 * The REST routes by which the bot answers an interaction: the callback (a reply, a deferral
 * or autocomplete choices) and edits of the original reply through the interaction webhook.
 * Both check the token the gateway handed out; webhook edits also check its age, as
 * Discord's tokens stop working after 15 minutes. A test can have the next callback refused.
 */
import { type Answer, answerInjected } from './http-bodies.ts';
import { messageJson } from './payloads.ts';
import type { FakeDiscordState } from './state.ts';
import type { AutocompleteAnswer, InteractionReply } from './types.ts';

const EPHEMERAL = 1 << 6;
const DEFERRED_CHANNEL_MESSAGE = 5;
const AUTOCOMPLETE_RESULT = 8;

/** POST /interactions/:id/:token/callback, `parts` being the path's decoded segments. */
export function answerInteractionCallback(
  state: FakeDiscordState,
  parts: string[],
  body: Record<string, unknown> | undefined,
  answer: Answer,
): void {
  const refusal = state.refusedCallbacks.shift();
  if (refusal !== undefined) {
    answerInjected(answer, refusal);
    return;
  }
  const token = state.tokens.get(parts[2] ?? '');
  if (!token || token.interactionId !== parts[1]) {
    answer(404, { message: 'Unknown interaction', code: 10062 });
    return;
  }
  if (body?.type === AUTOCOMPLETE_RESULT) {
    const choices = ((body.data ?? {}) as { choices?: AutocompleteAnswer['choices'] }).choices;
    state.autocompletes.set(token.interactionId, {
      choices: choices ?? [],
      afterMs: Date.now() - (state.dispatchedAt.get(token.interactionId) ?? Date.now()),
    });
    answer(204);
    return;
  }
  const data = (body?.data ?? {}) as { flags?: number; content?: string };
  const reply: InteractionReply = {
    deferred: body?.type === DEFERRED_CHANNEL_MESSAGE,
    ephemeral: ((data.flags ?? 0) & EPHEMERAL) !== 0,
  };
  if (data.content !== undefined) reply.content = data.content;
  state.replies.set(token.interactionId, reply);
  answer(204);
}

/** PATCH /webhooks/:applicationId/:token/messages/@original. */
export function answerOriginalReplyEdit(
  state: FakeDiscordState,
  parts: string[],
  body: Record<string, unknown> | undefined,
  answer: Answer,
): void {
  const token = state.tokens.get(parts[2] ?? '');
  if (!token || parts[1] !== state.applicationId) {
    answer(404, { message: 'Unknown Webhook', code: 10015 });
    return;
  }
  if (Date.now() - token.issuedAt > (state.options.interactionTokenTtlMs ?? 15 * 60_000)) {
    answer(401, { message: 'Invalid Webhook Token', code: 50027 });
    return;
  }
  const reply = state.replies.get(token.interactionId);
  if (reply && typeof body?.content === 'string') reply.content = body.content;
  answer(
    200,
    messageJson(
      {
        id: token.interactionId,
        channelId: token.channelId,
        content: reply?.content ?? '',
        embeds: [],
        attachments: [],
        edits: 1,
      },
      state.origin,
      state.botUserId,
    ),
  );
}
