/**
 * The slash commands on the Bolt app. Each is acknowledged before anything else happens,
 * because Slack gives up after 3 s and the tracker may be waiting on the Sora API; the
 * answer follows through the command's `response_url`, seen by the asker only.
 */
import type { App, RespondFn } from '@slack/bolt';
import { COMMAND_NAMES, CommandError, parseCommand } from '../../chat/commands.ts';
import type { CommandHandler } from '../../chat/port.ts';
import type { Logger } from '../../log.ts';
import { encodeSlackTarget } from './targets.ts';

export interface SlashCommandDeps {
  onCommand: CommandHandler;
  logger: Logger;
  /** A link to a message, or undefined when Slack will not give one. */
  permalink(channelId: string, ts: string): Promise<string | undefined>;
}

export function registerSlashCommands(app: App, deps: SlashCommandDeps): void {
  for (const name of COMMAND_NAMES) {
    app.command(`/${name}`, async ({ command, ack, respond }) => {
      await ack();
      const text = await answer(name, command, deps);
      await sendAnswer(respond, text.body, text.private, deps.logger);
    });
  }
}

async function answer(
  name: string,
  command: { channel_id: string; user_id: string; text: string },
  deps: SlashCommandDeps,
): Promise<{ body: string; private: boolean }> {
  try {
    const origin = { target: encodeSlackTarget(command.channel_id), requester: command.user_id };
    const reply = await deps.onCommand(parseCommand(name, command.text ?? '', origin));
    let body = reply.text;
    if (reply.statusMessage !== undefined) {
      const link = await deps.permalink(command.channel_id, reply.statusMessage);
      if (link !== undefined) body += ` <${link}|See the status card.>`;
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
  text: string,
  isPrivate: boolean,
  logger: Logger,
): Promise<void> {
  try {
    await respond({ response_type: isPrivate ? 'ephemeral' : 'in_channel', text });
  } catch (error) {
    // The response_url lasts 30 min and 5 uses; a lost answer is not worth more than a log line.
    logger.warn({ err: error }, 'slack command answer could not be sent');
  }
}
