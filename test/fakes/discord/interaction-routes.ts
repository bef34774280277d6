/**
 * The REST routes by which the bot answers an interaction: the callback (a reply, a deferral,
 * a deferred update of a clicked message, autocomplete choices or a modal) and edits of the
 * original reply through the interaction webhook (after a deferred update: of the message
 * the clicked component is on). Both check the token the gateway handed out; webhook edits also check its age, as
 * Discord's tokens stop working after 15 minutes. A modal is refused where Discord refuses
 * one: in answer to a modal submission, or with more than five fields; embeds past Discord's
 * limits are refused too (embed-checks.ts). A test can have the next callback refused.
 */
import { embedProblems, invalidEmbedsAnswer } from './embed-checks.ts';
import { type Answer, answerInjected } from './http-bodies.ts';
import { editMessage } from './message-routes.ts';
import { messageJson } from './payloads.ts';
import type { FakeDiscordState } from './state.ts';
import type { AutocompleteAnswer, FakeModal, InteractionReply } from './types.ts';

const EPHEMERAL = 1 << 6;
const DEFERRED_CHANNEL_MESSAGE = 5;
const DEFERRED_UPDATE_MESSAGE = 6;
const AUTOCOMPLETE_RESULT = 8;
const MODAL = 9;
const MODAL_SUBMIT = 5;
/** Discord's limit on the top-level components of a modal. */
const MAX_MODAL_COMPONENTS = 5;

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
  if (body?.type === MODAL) {
    answerWithModal(state, token.interactionId, body.data as Record<string, unknown>, answer);
    return;
  }
  if (body?.type === DEFERRED_UPDATE_MESSAGE) {
    if (!state.componentSources.has(token.interactionId)) {
      answer(400, { message: 'Interaction has no message to update', code: 40060 });
      return;
    }
    state.updatingInteractions.add(token.interactionId);
    answer(204);
    return;
  }
  const data = (body?.data ?? {}) as {
    flags?: number;
    content?: string;
    components?: Record<string, unknown>[];
    embeds?: Record<string, unknown>[];
  };
  const problems = embedProblems(data.embeds);
  if (problems.length > 0) {
    answer(400, invalidEmbedsAnswer(problems));
    return;
  }
  const reply: InteractionReply = {
    deferred: body?.type === DEFERRED_CHANNEL_MESSAGE,
    ephemeral: ((data.flags ?? 0) & EPHEMERAL) !== 0,
  };
  if (data.content !== undefined) reply.content = data.content;
  if (data.components !== undefined) reply.components = data.components;
  if (data.embeds !== undefined) reply.embeds = data.embeds;
  state.replies.set(token.interactionId, reply);
  answer(204);
}

/** Keeps the modal shown in answer to an interaction, unless Discord would refuse it. */
function answerWithModal(
  state: FakeDiscordState,
  interactionId: string,
  data: Record<string, unknown>,
  answer: Answer,
): void {
  if (state.interactions.get(interactionId)?.type === MODAL_SUBMIT) {
    answer(400, { message: 'Interaction has already been acknowledged.', code: 40060 });
    return;
  }
  const components = (data.components ?? []) as FakeModal['components'];
  if (components.length > MAX_MODAL_COMPONENTS) {
    answer(400, { message: 'Invalid Form Body', code: 50035 });
    return;
  }
  const modal = { customId: String(data.custom_id), title: String(data.title), components };
  state.modals.set(interactionId, modal);
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
  const source = state.updatingInteractions.has(token.interactionId)
    ? state.componentSources.get(token.interactionId)
    : undefined;
  if (source !== undefined && 'messageId' in source) {
    editMessage(state, token.channelId, source.messageId, body, answer);
    return;
  }
  const problems = embedProblems(body?.embeds);
  if (problems.length > 0) {
    answer(400, invalidEmbedsAnswer(problems));
    return;
  }
  const answerId = source?.answerOf ?? token.interactionId;
  const reply = state.replies.get(answerId);
  if (reply && typeof body?.content === 'string') reply.content = body.content;
  if (reply && Array.isArray(body?.components)) {
    reply.components = body.components as Record<string, unknown>[];
  }
  if (reply && Array.isArray(body?.embeds)) reply.embeds = body.embeds as Record<string, unknown>[];
  answer(
    200,
    messageJson(
      {
        id: answerId,
        channelId: token.channelId,
        content: reply?.content ?? '',
        embeds: reply?.embeds ?? [],
        attachments: [],
        components: reply?.components ?? [],
        edits: 1,
      },
      state.origin,
      state.botUserId,
    ),
  );
}
