/**
 * Slack's side of a press on a message's interactive element: the `block_actions`
 * interaction, posted signed as `payload=<json>`. The element is looked up in the blocks the
 * person saw (a posted card, or a private answer sent through a response_url), so a test can
 * press only what is really there: a button, or a `conversations_select` with a channel picked.
 */
import { signedPost } from './signed-post.ts';

export interface BlockActionPress {
  /** The bot's events URL, e.g. http://127.0.0.1:PORT/slack/events. */
  url: string;
  signingSecret: string;
  userId: string;
  /** The channel the message is in. */
  channelId: string;
  /** The message pressed in, as the person saw it. */
  message: { ts?: string; blocks: unknown[] };
  /** Whether the message is a private answer (then Slack sends no `message`). */
  ephemeral?: boolean;
  /** The action id of the element pressed. */
  actionId: string;
  /** For a `conversations_select`: the channel picked. */
  selectedConversation?: string;
  /** Where the bot's answer goes (see `FakeSlackApi.responseUrl`). */
  responseUrl: string;
  triggerId?: string;
}

type Element = { type?: string; action_id?: string; text?: unknown; value?: string };
type ActionsBlock = { type?: string; block_id?: string; elements?: Element[] };

/** Sends the press; resolves with the HTTP answer (the bot's ack). */
export function sendBlockAction(
  press: BlockActionPress,
): Promise<{ status: number; body: string; ms: number }> {
  return signedPost(
    press.url,
    { payload: JSON.stringify(blockActionPayload(press)) },
    { signingSecret: press.signingSecret },
  );
}

export function blockActionPayload(press: BlockActionPress): Record<string, unknown> {
  const { block, element } = findElement(press.message.blocks, press.actionId);
  const ts = press.message.ts ?? '1767225600.999999';
  const action: Record<string, unknown> = {
    type: element.type,
    action_id: element.actionId,
    block_id: block,
    action_ts: '1767225601.000001',
  };
  if (element.type === 'button') {
    action.text = element.text;
    if (element.value !== undefined) action.value = element.value;
  } else if (element.type === 'conversations_select') {
    if (press.selectedConversation === undefined) throw new Error('pick a conversation');
    action.selected_conversation = press.selectedConversation;
  }
  return {
    type: 'block_actions',
    user: {
      id: press.userId,
      username: press.userId.toLowerCase(),
      name: press.userId.toLowerCase(),
      team_id: 'T1',
    },
    api_app_id: 'A1',
    token: 'deprecated-verification-token',
    container: {
      type: 'message',
      message_ts: ts,
      channel_id: press.channelId,
      is_ephemeral: press.ephemeral === true,
    },
    trigger_id: press.triggerId ?? '7.8.9',
    team: { id: 'T1', domain: 'fake' },
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: press.channelId, name: 'general' },
    ...(press.ephemeral === true
      ? {}
      : { message: { type: 'message', user: 'UBOT', ts, text: '', blocks: press.message.blocks } }),
    state: { values: {} },
    response_url: press.responseUrl,
    actions: [action],
  };
}

function findElement(
  blocks: unknown[],
  actionId: string,
): { block: string; element: Element & { type: string; actionId: string } } {
  for (const [index, block] of (blocks as ActionsBlock[]).entries()) {
    if (block.type !== 'actions') continue;
    const element = block.elements?.find((e) => e.action_id === actionId);
    if (element?.type !== undefined) {
      return {
        block: block.block_id ?? `block-${index}`,
        element: { ...element, type: element.type, actionId },
      };
    }
  }
  throw new Error(`the message has no element ${actionId}`);
}
