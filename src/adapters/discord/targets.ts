/**
 * Discord places as subscription targets: "discord:<channel id>". The status message id is
 * kept in the subscription itself, so the target only names the channel.
 */
const PREFIX = 'discord:';
const SNOWFLAKE = /^\d{1,20}$/;

export function encodeTarget(channelId: string): string {
  return `${PREFIX}${channelId}`;
}

/** The channel id of a Discord target; throws on anything else, which is a bug upstream. */
export function decodeTarget(target: string): string {
  const channelId = target.startsWith(PREFIX) ? target.slice(PREFIX.length) : '';
  if (!SNOWFLAKE.test(channelId)) throw new Error(`not a Discord target: ${target}`);
  return channelId;
}

/** A message's jump link; a channel outside any server (a DM) is under "@me". */
export function messageLink(
  guildId: string | null | undefined,
  channelId: string,
  messageId: string,
): string {
  return `https://discord.com/channels/${guildId ?? '@me'}/${channelId}/${messageId}`;
}
