/**
 * The JSON objects the fake Discord sends, shaped closely enough to Discord's own that
 * discord.js builds real users, guilds, channels and messages from them. Kept apart because
 * they are long, plain data, used by both the gateway and the REST routes.
 */
import type { FakeGuild, FakeMessage, FakeUpload } from './types.ts';

export function botUserJson(botUserId: string) {
  return {
    id: botUserId,
    username: 'sora-bot',
    discriminator: '0',
    global_name: null,
    avatar: null,
    bot: true,
  };
}

/** A GUILD_CREATE payload: the server with its text channels. */
export function guildJson(guild: FakeGuild) {
  return {
    id: guild.id,
    name: `server ${guild.id}`,
    icon: null,
    splash: null,
    discovery_splash: null,
    owner_id: '100000000000000099',
    afk_channel_id: null,
    afk_timeout: 300,
    verification_level: 0,
    default_message_notifications: 0,
    explicit_content_filter: 0,
    features: [],
    mfa_level: 0,
    system_channel_id: null,
    system_channel_flags: 0,
    rules_channel_id: null,
    vanity_url_code: null,
    description: null,
    banner: null,
    premium_tier: guild.premiumTier,
    premium_subscription_count: 0,
    preferred_locale: 'en-US',
    public_updates_channel_id: null,
    nsfw_level: 0,
    premium_progress_bar_enabled: false,
    joined_at: new Date(0).toISOString(),
    large: false,
    unavailable: false,
    member_count: 1,
    roles: [guild.id, ...(guild.roleIds ?? [])].map((id, position) => roleJson(id, position)),
    emojis: [],
    stickers: [],
    members: [],
    voice_states: [],
    presences: [],
    threads: [],
    stage_instances: [],
    guild_scheduled_events: [],
    soundboard_sounds: [],
    channels: guild.channelIds.map((id, position) => ({
      id,
      type: 0,
      guild_id: guild.id,
      name: `channel-${position}`,
      position,
      permission_overwrites: [],
      nsfw: false,
      parent_id: null,
      flags: 0,
    })),
  };
}

/** A message as the REST API returns it; its attachments link back to this fake. */
export function messageJson(
  message: Omit<FakeMessage, 'allowedMentions' | 'createdAt'>,
  origin: string,
  botUserId: string,
) {
  return {
    id: message.id,
    channel_id: message.channelId,
    type: 0,
    author: botUserJson(botUserId),
    content: message.content,
    embeds: message.embeds,
    attachments: message.attachments.map((file, index) => ({
      id: String(index),
      filename: file.name,
      size: file.bytes.length,
      url: `${origin}/attachments/${message.id}/${file.name}`,
      proxy_url: `${origin}/attachments/${message.id}/${file.name}`,
      content_type: file.contentType,
    })),
    nonce: message.nonce,
    timestamp: new Date().toISOString(),
    edited_timestamp: message.edits > 0 ? new Date().toISOString() : null,
    tts: false,
    mention_everyone: false,
    mentions: [],
    mention_roles: [],
    pinned: false,
    flags: 0,
    components: message.components,
  };
}

/** A role as GUILD_CREATE lists it; the one whose id is the server's is @everyone. */
function roleJson(id: string, position: number) {
  return {
    id,
    name: position === 0 ? '@everyone' : `role-${position}`,
    color: 0,
    colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
    hoist: false,
    icon: null,
    unicode_emoji: null,
    position,
    permissions: '0',
    managed: false,
    mentionable: false,
    flags: 0,
  };
}

/**
 * A file a user attached, as `resolved.attachments` lists it. Discord serves such files from
 * its CDN under a signed link; this fake's own origin stands in for the CDN.
 */
export function uploadJson(id: string, upload: FakeUpload, origin: string) {
  return {
    id,
    filename: upload.filename,
    size: 1024,
    url: `${origin}/ephemeral-attachments/${id}/${upload.filename}`,
    proxy_url: `${origin}/ephemeral-attachments/${id}/${upload.filename}`,
    content_type: upload.contentType,
    ephemeral: true,
  };
}
