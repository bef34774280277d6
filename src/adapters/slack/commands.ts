/**
 * The slash commands on the Bolt app. Each is acknowledged before anything else happens,
 * because Slack gives up after 3 s and the tracker may be waiting on the Sora API; the
 * answer follows through the command's `response_url`, seen by the asker only.
 *
 * `/sora-clips` with share pages answers in blocks, each clip with its poster (clips-blocks.ts);
 * should Slack refuse them (say, a poster it cannot fetch), the plain listing follows instead.
 *
 * `/sora-create` answers with a modal instead (see create-view.ts); its submission is
 * handled in create-submission.ts.
 */
import type { App, RespondFn, types } from '@slack/bolt';
import { COMMAND_NAMES, CommandError, parseCommand } from '../../chat/commands.ts';
import type { CommandHandler } from '../../chat/port.ts';
import type { Logger } from '../../log.ts';
import { cardLink } from './card-link.ts';
import { clipsBlocks } from './clips-blocks.ts';
import { createFormView } from './create-view.ts';
import { slackErrorCode } from './slack-errors.ts';
import { encodeSlackTarget } from './targets.ts';

export const CREATE_COMMAND = '/sora-create';

export interface SlashCommandDeps {
  onCommand: CommandHandler;
  logger: Logger;
  /** A link to a message, or undefined when Slack will not give one. */
  permalink(channelId: string, ts: string): Promise<string | undefined>;
  /**
   * The Slack user groups named in `CREATE_ALLOWED` that a person is in; absent when none is
   * named, and then nobody's groups are looked up.
   */
  groupsOf?(userId: string): Promise<readonly string[]>;
}

export function registerSlashCommands(app: App, deps: SlashCommandDeps): void {
  for (const name of COMMAND_NAMES) {
    app.command(`/${name}`, async ({ command, ack, respond }) => {
      await ack();
      const { body, blocks, private: isPrivate } = await answer(name, command, deps);
      await sendAnswer(
        respond,
        { text: body, ...(blocks ? { blocks } : {}) },
        isPrivate,
        deps.logger,
      );
    });
  }
  app.command(CREATE_COMMAND, async ({ command, ack, client, respond }) => {
    await ack();
    // The trigger_id lasts 3 s from the command: the modal is opened before anything else.
    const view = createFormView({
      channelId: command.channel_id,
      values: { prompt: command.text },
    });
    try {
      await client.views.open({ trigger_id: command.trigger_id, view });
    } catch (error) {
      deps.logger.warn({ code: slackErrorCode(error) }, 'slack create form could not be opened');
      await sendAnswer(
        respond,
        { text: `The form could not be opened; run ${CREATE_COMMAND} again.` },
        true,
        deps.logger,
      );
    }
  });
}

async function answer(
  name: string,
  command: { channel_id: string; user_id: string; text: string },
  deps: SlashCommandDeps,
): Promise<{ body: string; blocks?: types.KnownBlock[]; private: boolean }> {
  try {
    const origin = { target: encodeSlackTarget(command.channel_id), requester: command.user_id };
    const reply = await deps.onCommand(parseCommand(name, command.text ?? '', origin));
    const link = await cardLink(reply, command.channel_id, deps.permalink);
    const body = `${reply.text}${link}`;
    if (reply.clips !== undefined) {
      return { body, blocks: clipsBlocks(reply.clips), private: reply.private };
    }
    return { body, private: reply.private };
  } catch (error) {
    if (error instanceof CommandError) return { body: error.message, private: true };
    deps.logger.error({ err: error, command: name }, 'slack command failed');
    return { body: 'That did not work; the bot logged why.', private: true };
  }
}

async function sendAnswer(
  respond: RespondFn,
  message: { text: string; blocks?: types.KnownBlock[] },
  isPrivate: boolean,
  logger: Logger,
): Promise<void> {
  const responseType = isPrivate ? 'ephemeral' : 'in_channel';
  try {
    if (message.blocks !== undefined) {
      try {
        await respond({ response_type: responseType, text: message.text, blocks: message.blocks });
        return;
      } catch (error) {
        // Slack fetches each image before it posts: a poster it cannot reach sinks the blocks.
        logger.warn({ err: error }, 'slack refused the answer in blocks; answering in text');
      }
    }
    await respond({ response_type: responseType, text: message.text });
  } catch (error) {
    // The response_url lasts 30 min and 5 uses; a lost answer is not worth more than a log line.
    logger.warn({ err: error }, 'slack command answer could not be sent');
  }
}
