/**
 * The channel permissions the bot needs to watch a task there, checked from the
 * interaction's `app_permissions` before a watch starts.
 */
import { PermissionFlagsBits, type PermissionsBitField } from 'discord.js';

/** What the bot needs in a channel, with the names Discord's settings show. */
export const REQUIRED_PERMISSIONS = [
  { flag: PermissionFlagsBits.ViewChannel, name: 'View Channel' },
  { flag: PermissionFlagsBits.SendMessages, name: 'Send Messages' },
  { flag: PermissionFlagsBits.EmbedLinks, name: 'Embed Links' },
  { flag: PermissionFlagsBits.AttachFiles, name: 'Attach Files' },
] as const;

/** The names of the required permissions the bot lacks; empty when it has them all. */
export function missingPermissions(granted: Readonly<PermissionsBitField>): string[] {
  return REQUIRED_PERMISSIONS.filter(({ flag }) => !granted.has(flag)).map(({ name }) => name);
}

/** The ephemeral answer explaining what to grant. */
export function missingPermissionsText(missing: readonly string[]): string {
  const list = missing.join(', ');
  return (
    `I can't watch tasks in this channel: I am missing the ${list} permission` +
    `${missing.length === 1 ? '' : 's'} here. Ask a server admin to grant ` +
    `${missing.length === 1 ? 'it' : 'them'} to the bot (Channel settings → Permissions), then try again.`
  );
}
