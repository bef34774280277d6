/** The link to a task's status card that follows an answer, where Slack gives one. */
import type { Reply } from '../../chat/commands.ts';

/** " <permalink|See the status card.>", or '' when the reply names no card or Slack gives no link. */
export async function cardLink(
  reply: Reply,
  channelId: string,
  permalink: (channelId: string, ts: string) => Promise<string | undefined>,
): Promise<string> {
  if (reply.statusMessage === undefined) return '';
  const link = await permalink(channelId, reply.statusMessage);
  return link === undefined ? '' : ` <${link}|See the status card.>`;
}
