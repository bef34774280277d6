/**
 * Subscription targets of Slack: "slack:<channel id>". The status card's ts is kept apart,
 * in the subscription's `statusMessage`, so one channel is one place however many cards it has.
 */
export const SLACK_PLATFORM = 'slack';

const PREFIX = `${SLACK_PLATFORM}:`;
/** Public, private, DM and group-DM channel ids: C…, G…, D…, upper-case letters and digits. */
const CHANNEL_ID = /^[CGD][A-Z0-9]{2,}$/;

export function encodeSlackTarget(channelId: string): string {
  if (!CHANNEL_ID.test(channelId)) throw new Error(`not a Slack channel id: ${channelId}`);
  return `${PREFIX}${channelId}`;
}

/** The channel id of a Slack target; throws on a target of another platform or a malformed one. */
export function decodeSlackTarget(target: string): { channelId: string } {
  if (!target.startsWith(PREFIX)) throw new Error(`not a Slack target: ${target}`);
  // Older targets may carry a message ts after the channel ("slack:C0123:1718000000.0001").
  const [channelId = ''] = target.slice(PREFIX.length).split(':');
  if (!CHANNEL_ID.test(channelId)) throw new Error(`not a Slack target: ${target}`);
  return { channelId };
}
