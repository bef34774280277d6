/**
 * The INTERACTION_CREATE payload the fake gateway dispatches (a slash command, an
 * autocomplete request, a modal submission, a button click): a guild text channel, a member
 * with every permission the bot needs, and the token the bot answers with. Long, plain data,
 * so kept out of the gateway's logic.
 */
import { botUserJson } from './payloads.ts';

/** Every permission the bot needs in a channel (and more). */
export const ALL_PERMISSIONS = '2248473465835073';

/** Where an interaction happens and who starts it. */
export interface InteractionPlace {
  channelId: string;
  userId: string;
  guildId?: string;
  /** The member's role ids; none by default. */
  roles?: string[];
}

/** An INTERACTION_CREATE payload; `extra` adds or overrides top-level fields. */
export function interactionJson(interaction: {
  id: string;
  applicationId: string;
  botUserId: string;
  type: number;
  token: string;
  place: InteractionPlace;
  /** The interaction's `data`: the command and its options, the modal's fields, the button. */
  data: object;
  extra: Record<string, unknown>;
}) {
  const { place } = interaction;
  const guildId = place.guildId ?? '200000000000000001';
  const user = {
    ...botUserJson(interaction.botUserId),
    id: place.userId,
    username: `user${place.userId}`,
    bot: false,
  };
  return {
    id: interaction.id,
    application_id: interaction.applicationId,
    type: interaction.type,
    token: interaction.token,
    version: 1,
    data: interaction.data,
    guild_id: guildId,
    channel_id: place.channelId,
    channel: {
      id: place.channelId,
      type: 0,
      guild_id: guildId,
      name: 'general',
      position: 0,
      permission_overwrites: [],
      nsfw: false,
      parent_id: null,
      flags: 0,
    },
    member: {
      user,
      roles: place.roles ?? [],
      joined_at: new Date(0).toISOString(),
      deaf: false,
      mute: false,
      flags: 0,
      pending: false,
      nick: null,
      avatar: null,
      premium_since: null,
      permissions: ALL_PERMISSIONS,
    },
    locale: 'en-US',
    guild_locale: 'en-US',
    entitlements: [],
    authorizing_integration_owners: { '0': guildId },
    context: 0,
    ...interaction.extra,
  };
}
