/**
 * The fake Discord's component interactions (type 3), each carrying the message its
 * component is on, as Discord sends them: a click on a button of an answer the bot gave or of
 * a message it posted in a channel (a status card, a clip), and a channel picked in a channel
 * select of an answer, the channel then listed in `resolved.channels`. A click on a component
 * that message does not carry throws: the test is wrong, Discord would not send it.
 */
import { sendInteraction } from './gateway.ts';
import { ALL_PERMISSIONS } from './interaction-payload.ts';
import { messageJson } from './payloads.ts';
import type { FakeDiscordState } from './state.ts';
import type { ButtonClick, ChannelPick } from './types.ts';

const MESSAGE_COMPONENT = 3;
const BUTTON = 2;
const CHANNEL_SELECT = 8;
const GUILD_TEXT = 0;
const EPHEMERAL = 1 << 6;

type Rows = { components?: { custom_id?: string; type?: number }[] }[];

/** Dispatches a click on a button; returns the interaction id. */
export function clickButton(state: FakeDiscordState, click: ButtonClick): string {
  const source =
    'answerOf' in click ? { answerOf: click.answerOf } : { messageId: click.messageId };
  const { message, channelId } = clickedMessage(state, source, click.customId, BUTTON);
  const data = { custom_id: click.customId, component_type: BUTTON };
  const place = { channelId, userId: click.userId, ...(click.roles ? { roles: click.roles } : {}) };
  const id = sendInteraction(state, MESSAGE_COMPONENT, place, data, {
    app_permissions: ALL_PERMISSIONS,
    message,
  });
  state.componentSources.set(id, source);
  return id;
}

/** Dispatches one channel picked in a channel select; returns the interaction id. */
export function pickChannel(state: FakeDiscordState, pick: ChannelPick): string {
  const source = { answerOf: pick.answerOf };
  const { message, channelId } = clickedMessage(state, source, pick.customId, CHANNEL_SELECT);
  const picked = {
    id: pick.channelId,
    type: GUILD_TEXT,
    name: `channel-${pick.channelId}`,
    parent_id: null,
    flags: 0,
    permissions: ALL_PERMISSIONS,
  };
  const data = {
    custom_id: pick.customId,
    component_type: CHANNEL_SELECT,
    values: [pick.channelId],
    resolved: { channels: { [pick.channelId]: picked } },
  };
  const id = sendInteraction(state, MESSAGE_COMPONENT, { channelId, userId: pick.userId }, data, {
    app_permissions: ALL_PERMISSIONS,
    message,
  });
  state.componentSources.set(id, source);
  return id;
}

/** The message JSON a component interaction carries, and its channel. */
function clickedMessage(
  state: FakeDiscordState,
  source: { answerOf: string } | { messageId: string },
  customId: string,
  type: number,
): { message: Record<string, unknown>; channelId: string } {
  if ('messageId' in source) {
    const posted = state.messages.find((m) => m.id === source.messageId);
    if (posted === undefined || !carries(posted.components, customId, type)) {
      throw new Error(`message ${source.messageId} has no component ${customId}`);
    }
    const message = messageJson(posted, state.origin, state.botUserId);
    return { message, channelId: posted.channelId };
  }
  const answer = state.replies.get(source.answerOf);
  const payload = state.interactions.get(source.answerOf);
  if (
    answer === undefined ||
    payload === undefined ||
    !carries(answer.components, customId, type)
  ) {
    throw new Error(`the answer to ${source.answerOf} has no component ${customId}`);
  }
  const channelId = String(payload.channel_id);
  const components = answer.components ?? [];
  const message = {
    ...messageJson(
      {
        id: source.answerOf,
        channelId,
        content: answer.content ?? '',
        embeds: [],
        attachments: [],
        components,
        edits: 0,
      },
      state.origin,
      state.botUserId,
    ),
    flags: answer.ephemeral ? EPHEMERAL : 0,
  };
  return { message, channelId };
}

function carries(
  rows: Record<string, unknown>[] | undefined,
  customId: string,
  type: number,
): boolean {
  return ((rows ?? []) as Rows)
    .flatMap((row) => row.components ?? [])
    .some((c) => c.custom_id === customId && c.type === type);
}
