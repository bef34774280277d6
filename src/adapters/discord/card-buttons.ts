/**
 * The buttons of a status card (and of the message with its clip or failure) as Discord
 * components, and the channel pick that Share to… offers. A button's custom id names only its
 * action and the task (`sora:<action>:<task id>`): what it does is read from the store when it
 * is pressed, so it works after any restart.
 */
import {
  type APIActionRowComponent,
  type APIButtonComponentWithCustomId,
  type APIChannelSelectComponent,
  ButtonStyle,
  ChannelType,
  ComponentType,
} from 'discord.js';
import {
  ACTION_LABELS,
  actionId,
  type CardAction,
  fitsIn,
  sharePickerId,
} from '../../chat/card-actions.ts';

/** Discord's bound on a component's custom id. */
const MAX_CUSTOM_ID = 100;

/** Stop is the one button that changes what the channel sees; Rerun is the likely next step. */
const STYLE: Record<CardAction, ButtonStyle.Danger | ButtonStyle.Primary | ButtonStyle.Secondary> =
  {
    stop: ButtonStyle.Danger,
    rerun: ButtonStyle.Primary,
    edit: ButtonStyle.Secondary,
    share: ButtonStyle.Secondary,
    details: ButtonStyle.Secondary,
  };

/**
 * One row with a button per action, or no row: an edit sends `[]`, which takes away buttons
 * that no longer apply. A button whose id would not fit Discord's 100 characters (a very long
 * task id) is left out rather than cut, since a cut id would name another task.
 */
export function cardButtonRows(
  taskId: string,
  actions: readonly CardAction[] | undefined,
): APIActionRowComponent<APIButtonComponentWithCustomId>[] {
  const buttons = (actions ?? [])
    .filter((action) => fitsIn(action, taskId, MAX_CUSTOM_ID))
    .map(
      (action): APIButtonComponentWithCustomId => ({
        type: ComponentType.Button,
        custom_id: actionId(action, taskId),
        label: ACTION_LABELS[action],
        style: STYLE[action],
      }),
    );
  return buttons.length === 0 ? [] : [{ type: ComponentType.ActionRow, components: buttons }];
}

/** The row of Share to…'s answer: a pick of one text or announcement channel. */
export function sharePickerRow(taskId: string): APIActionRowComponent<APIChannelSelectComponent> {
  return {
    type: ComponentType.ActionRow,
    components: [
      {
        type: ComponentType.ChannelSelect,
        custom_id: sharePickerId(taskId),
        placeholder: 'Pick a channel',
        channel_types: [ChannelType.GuildText, ChannelType.GuildAnnouncement],
        min_values: 1,
        max_values: 1,
      },
    ],
  };
}
