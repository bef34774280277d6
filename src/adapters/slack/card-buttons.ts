/**
 * The buttons of a Slack status card and of an announcement without a clip (a failure, a
 * link), and the channel picker Share to… answers with.
 *
 * Slack posts the finished clip as a file share, which can carry no buttons, so for a clip the
 * card (the message the bot edits in place, which links to the clip once posted) has them; a
 * clip posted as a video block (SLACK_VIDEO_BLOCKS=on) is a message and has them too. A
 * button's action id is all it says (`sora:<action>:<task id>`): what it does is read from
 * the store when it is pressed, so it works after a restart.
 */
import type { types } from '@slack/bolt';
import {
  ACTION_LABELS,
  actionId,
  type CardAction,
  sharePickerId,
} from '../../chat/card-actions.ts';
import type { ResultView } from '../../chat/result-view.ts';
import type { StatusView } from '../../chat/status-view.ts';

/** A Block Kit block, loose like the card's (render.ts). */
type Block = Record<string, unknown>;

/** The block id of the card's buttons; one actions block per card. */
export const CARD_BUTTONS_BLOCK_ID = 'sora-card-buttons';

/** Slack's button styles: the one that ends something is red, the one most wanted is green. */
const BUTTON_STYLE: Partial<Record<CardAction, 'primary' | 'danger'>> = {
  stop: 'danger',
  rerun: 'primary',
};

/** The card's actions block, one button per action the view offers; undefined for none. */
export function cardButtons(
  view: Pick<StatusView, 'taskId' | 'actions'> | Pick<ResultView, 'taskId' | 'actions'>,
): Block | undefined {
  const actions = view.actions ?? [];
  if (actions.length === 0) return undefined;
  return {
    type: 'actions',
    block_id: CARD_BUTTONS_BLOCK_ID,
    elements: actions.map((action) => {
      const style = BUTTON_STYLE[action];
      return {
        type: 'button',
        action_id: actionId(action, view.taskId),
        text: { type: 'plain_text', text: ACTION_LABELS[action] },
        ...(style ? { style } : {}),
      };
    }),
  };
}

/** Slack's bound on a section's text. */
const SECTION_MAX = 3000;

/** An announcement as blocks: its text (as the message's `text` says it) and its buttons. */
export function resultBlocks(text: string, view: Pick<ResultView, 'taskId' | 'actions'>): Block[] {
  const shown = text.length <= SECTION_MAX ? text : `${text.slice(0, SECTION_MAX - 1)}…`;
  const buttons = cardButtons(view);
  return [
    { type: 'section', text: { type: 'mrkdwn', text: shown } },
    ...(buttons ? [buttons] : []),
  ];
}

/**
 * The private message Share to… answers with: the sentence, then a pick of the channels the
 * presser can see (people's DMs left out: a clip is shared with a channel).
 */
export function sharePickerBlocks(mrkdwn: string, taskId: string): types.KnownBlock[] {
  return [
    { type: 'section', text: { type: 'mrkdwn', text: mrkdwn } },
    {
      type: 'actions',
      elements: [
        {
          type: 'conversations_select',
          action_id: sharePickerId(taskId),
          placeholder: { type: 'plain_text', text: 'Pick a channel' },
          filter: { include: ['public', 'private'], exclude_bot_users: true },
        },
      ],
    },
  ];
}
