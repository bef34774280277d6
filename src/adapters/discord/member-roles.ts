/**
 * The asker's roles in the server, for `CREATE_ALLOWED`, which may name Discord roles
 * ("discord:<role id>") besides people.
 */
import type { APIInteractionGuildMember, GuildMember } from 'discord.js';

/**
 * The role ids of the member behind an interaction, with the server's @everyone role (whose
 * id is the server's own): discord.js lists it for a member it caches, Discord's raw member
 * leaves it out. None outside a server.
 */
export function memberRoleIds(interaction: {
  guildId: string | null;
  member: GuildMember | APIInteractionGuildMember | null;
}): string[] {
  const { guildId, member } = interaction;
  if (guildId === null || member === null) return [];
  // A member of a server the gateway caches comes as a GuildMember (roles in its manager's
  // cache); one of a server it does not, as Discord sent it (an array of role ids).
  const roles = Array.isArray(member.roles) ? member.roles : [...member.roles.cache.keys()];
  return [...new Set([...roles, guildId])];
}
