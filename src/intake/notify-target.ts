/**
 * Channels named from outside a chat platform (the intake API, DEFAULT_NOTIFY):
 * "slack:C0123" or "discord:123456789", checked and turned into subscription targets.
 */
import { decodeTarget as decodeDiscordTarget } from '../adapters/discord/targets.ts';
import { encodeSlackTarget } from '../adapters/slack/targets.ts';

export const NOTIFY_PLATFORMS = ['slack', 'discord'] as const;
export type NotifyPlatform = (typeof NOTIFY_PLATFORMS)[number];

/** A notify entry that cannot name a channel; `message` is one sentence for the sender. */
export class BadNotifyTarget extends Error {}

/** The subscription target for "slack:C0123" or "discord:123456789"; throws BadNotifyTarget. */
export function parseNotifyTarget(text: string): string {
  const trimmed = text.trim();
  const colon = trimmed.indexOf(':');
  const platform = colon === -1 ? '' : trimmed.slice(0, colon).toLowerCase();
  const channel = colon === -1 ? '' : trimmed.slice(colon + 1);
  if (!(NOTIFY_PLATFORMS as readonly string[]).includes(platform)) {
    throw new BadNotifyTarget(
      `"${clip(trimmed)}" names no known platform: write slack:<channel id> or discord:<channel id>`,
    );
  }
  try {
    return platform === 'slack'
      ? encodeSlackTarget(channel)
      : `discord:${decodeDiscordTarget(`discord:${channel}`)}`;
  } catch {
    const shape =
      platform === 'slack' ? 'a Slack channel id like C0123ABCD' : 'a Discord channel id (digits)';
    throw new BadNotifyTarget(
      `"${clip(trimmed)}" is not a channel: after ${platform}: comes ${shape}`,
    );
  }
}

/** The platform of a parsed target. */
export function notifyPlatformOf(target: string): NotifyPlatform {
  return target.startsWith('slack:') ? 'slack' : 'discord';
}

/** Echoed input is cut short: it comes from outside. */
function clip(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
