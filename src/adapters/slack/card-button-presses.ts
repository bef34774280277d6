/**
 * What happens when someone presses a button on a status card (card-buttons.ts), or picks a
 * channel in the Share to… picker. Each press is acknowledged at once (Slack gives up after
 * 3 s), then handed to the shared command handler as the presser, in the card's channel; the
 * answer goes back through the interaction's `response_url`, seen by the presser only.
 *
 * Edit & rerun answers with the create form, pre-filled, whose submission is the usual
 * `/sora-create` one (create-submission.ts). Its trigger_id lasts 3 s from the press, so
 * nothing but the handler's own call runs before the form is opened.
 */
import type { App, BlockAction, ConversationsSelectAction, RespondArguments } from '@slack/bolt';
import { ACTION_LABELS, readActionId, readSharePickerId } from '../../chat/card-actions.ts';
import type { Command, CommandOrigin, Reply } from '../../chat/commands.ts';
import { sharePickerBlocks } from './card-buttons.ts';
import { cardLink } from './card-link.ts';
import type { SlashCommandDeps } from './commands.ts';
import { createFormView } from './create-view.ts';
import { escapeMrkdwn } from './render.ts';
import { slackErrorCode } from './slack-errors.ts';
import { encodeSlackTarget } from './targets.ts';

const FAILED = 'That did not work; the bot logged why.';
const NOT_IN_A_CHANNEL = 'This button works on a status card in a channel only.';

type Respond = (message: RespondArguments) => Promise<unknown>;

export function registerCardButtons(app: App, deps: SlashCommandDeps): void {
  app.action<BlockAction>(/^sora:/, async ({ ack, body, action, client, respond }) => {
    await ack();
    const pressed = readActionId(action.action_id);
    if (pressed === undefined) {
      deps.logger.warn({ actionId: action.action_id }, 'slack button not understood');
      return;
    }
    const channelId = channelOf(body);
    const target = targetOf(channelId);
    if (channelId === undefined || target === undefined) {
      await answer(respond, NOT_IN_A_CHANNEL, deps);
      return;
    }
    // Only a rerun makes a video, which CREATE_ALLOWED's groups may allow; an Edit & rerun's
    // form is checked on submission, and must open within its trigger's 3 s.
    const origin = await originOf(target, body.user.id, pressed.action === 'rerun', deps);
    const reply = await run({ kind: 'action', ...pressed, origin }, deps);
    if (reply?.form !== undefined) {
      try {
        await client.views.open({
          trigger_id: body.trigger_id,
          view: createFormView({ channelId, values: reply.form }),
        });
      } catch (error) {
        deps.logger.warn({ code: slackErrorCode(error) }, 'slack edit form could not be opened');
        await answer(
          respond,
          `The form could not be opened; press ${ACTION_LABELS.edit} again.`,
          deps,
        );
      }
      return;
    }
    if (reply?.sharePicker !== undefined) {
      await send(
        respond,
        {
          response_type: 'ephemeral',
          replace_original: false,
          text: reply.text,
          blocks: sharePickerBlocks(escapeMrkdwn(reply.text), reply.sharePicker.taskId),
        },
        deps,
      );
      return;
    }
    const link = reply === undefined ? '' : await cardLink(reply, channelId, deps.permalink);
    // As the slash commands' answers: the text may name people (`<@U…>`), which must stay
    // mentions; it is seen by the presser only.
    await answer(respond, `${reply === undefined ? FAILED : reply.text}${link}`, deps);
  });

  app.action<BlockAction<ConversationsSelectAction>>(
    /^sora-share:/,
    async ({ ack, body, action, respond }) => {
      await ack();
      const taskId = readSharePickerId(action.action_id);
      const target = targetOf(channelOf(body));
      if (taskId === undefined || target === undefined) {
        await answer(respond, NOT_IN_A_CHANNEL, deps, true);
        return;
      }
      const to = targetOf(action.selected_conversation);
      if (to === undefined) {
        await answer(respond, 'Pick a channel to share the clip to.', deps, true);
        return;
      }
      const origin = { target, requester: body.user.id };
      const reply = await run({ kind: 'share', taskId, origin, to }, deps);
      await answer(respond, reply === undefined ? FAILED : reply.text, deps, true);
    },
  );
}

/** The presser in the card's channel, with their groups where `CREATE_ALLOWED` names any. */
async function originOf(
  target: string,
  userId: string,
  withGroups: boolean,
  deps: SlashCommandDeps,
): Promise<CommandOrigin> {
  if (!withGroups || deps.groupsOf === undefined) return { target, requester: userId };
  return { target, requester: userId, groups: await deps.groupsOf(userId) };
}

/** The handler's reply, or undefined when it failed (logged here). */
async function run(command: Command, deps: SlashCommandDeps): Promise<Reply | undefined> {
  try {
    return await deps.onCommand(command);
  } catch (error) {
    deps.logger.error({ err: error, command: command.kind }, 'slack button failed');
    return undefined;
  }
}

/** The card's channel: where the press came from (the picker is shown in the same one). */
function channelOf(body: BlockAction): string | undefined {
  const fromContainer = body.container.channel_id;
  return body.channel?.id ?? (typeof fromContainer === 'string' ? fromContainer : undefined);
}

/** `slack:<channel>`, or undefined for anything that is no channel id. */
function targetOf(channelId: string | undefined): string | undefined {
  if (channelId === undefined) return undefined;
  try {
    return encodeSlackTarget(channelId);
  } catch {
    return undefined;
  }
}

/** A private answer to the presser; `replacing` swaps it for the message pressed in (the picker). */
function answer(
  respond: Respond,
  mrkdwn: string,
  deps: SlashCommandDeps,
  replacing = false,
): Promise<void> {
  return send(
    respond,
    { response_type: 'ephemeral', replace_original: replacing, text: mrkdwn },
    deps,
  );
}

async function send(
  respond: Respond,
  message: RespondArguments,
  deps: SlashCommandDeps,
): Promise<void> {
  try {
    await respond(message);
  } catch (error) {
    // The response_url lasts 30 min and 5 uses; a lost answer is not worth more than a log line.
    deps.logger.warn({ err: error }, 'slack button answer could not be sent');
  }
}
