/**
 * The channel permissions the bot needs to watch a task there, checked from the
 * interaction's `app_permissions` before a watch starts.
 */
import {
  type ChatInputCommandInteraction,
  MessageFlags,
  PermissionFlagsBits,
  type PermissionsBitField,
} from 'discord.js';
import type { Logger } from '../../log.ts';

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

/**
 * Answers privately and returns true when the bot lacks a permission it needs in this
 * channel, so no watch starts that could never post. The check needs no network call, so
 * it answers at once instead of deferring.
 */
export async function refusedForPermissions(
  interaction: ChatInputCommandInteraction,
  logger: Logger,
): Promise<boolean> {
  const missing = missingPermissions(interaction.appPermissions);
  if (missing.length === 0) return false;
  logger.info({ channel: interaction.channelId, missing }, 'missing discord permissions');
  try {
    await interaction.reply({
      content: missingPermissionsText(missing),
      flags: MessageFlags.Ephemeral,
      allowedMentions: { parse: [] },
    });
  } catch (error) {
    logger.warn({ err: error, command: interaction.commandName }, 'could not answer');
  }
  return true;
}
