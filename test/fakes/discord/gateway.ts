/**
 * The fake Discord's gateway, the WebSocket side: each session gets HELLO, its heartbeats
 * are ACKed, and IDENTIFY is answered with READY and a GUILD_CREATE per server. Tests push
 * slash commands and autocomplete requests (and, through form-interactions.ts, modal
 * submissions and button clicks) to every session as INTERACTION_CREATE, each with a fresh
 * token that the REST routes later check.
 */
import type { WebSocket, WebSocketServer } from 'ws';
import { ALL_PERMISSIONS, type InteractionPlace, interactionJson } from './interaction-payload.ts';
import { botUserJson, guildJson, uploadJson } from './payloads.ts';
import type { FakeDiscordState } from './state.ts';
import type { AutocompleteRequest, SlashCommand, SlashOptionValue } from './types.ts';

/** Discord's application command option types for the values a test gives. */
const STRING_OPTION = 3;
const INTEGER_OPTION = 4;
const ATTACHMENT_OPTION = 11;

export const GATEWAY_PATH = '/gateway';

/** Answers every session that connects to `wss` as Discord's gateway would. */
export function serveGatewaySessions(wss: WebSocketServer, state: FakeDiscordState): void {
  const { options } = state;
  wss.on('connection', (socket) => {
    state.sessions.add(socket);
    socket.on('close', () => state.sessions.delete(socket));
    socket.send(JSON.stringify({ op: 10, d: { heartbeat_interval: 41_250 }, s: null, t: null }));
    socket.on('message', (raw) => {
      const packet = JSON.parse(String(raw)) as { op: number };
      if (packet.op === 1) socket.send(JSON.stringify({ op: 11, d: null, s: null, t: null }));
      if (packet.op === 2) {
        state.identified += 1;
        dispatch(state, socket, 'READY', {
          v: 10,
          user: botUserJson(state.botUserId),
          guilds: (options.guilds ?? []).map((guild) => ({ id: guild.id, unavailable: true })),
          session_id: `fake-session-${state.identified}`,
          resume_gateway_url: state.gatewayUrl,
          shard: [0, 1],
          application: { id: state.applicationId, flags: 0 },
        });
        for (const guild of options.guilds ?? [])
          dispatch(state, socket, 'GUILD_CREATE', guildJson(guild));
      }
    });
  });
}

function dispatch(state: FakeDiscordState, socket: WebSocket, type: string, data: unknown): void {
  socket.send(JSON.stringify({ op: 0, t: type, s: ++state.sequence, d: data }));
}

/**
 * Dispatches a slash command (type 2) to every session; returns the interaction id. An
 * attachment option's file is listed in `resolved.attachments`, as Discord does.
 */
export function sendSlashCommand(state: FakeDiscordState, command: SlashCommand): string {
  const attachments: Record<string, object> = {};
  const options = Object.entries(command.options ?? {}).map(([name, value]) => {
    if (typeof value !== 'object') return { name, type: optionType(value), value };
    const id = state.snowflake();
    attachments[id] = uploadJson(id, value, state.origin);
    return { name, type: ATTACHMENT_OPTION, value: id };
  });
  const resolved = Object.keys(attachments).length > 0 ? { resolved: { attachments } } : {};
  const data = { id: state.snowflake(), name: command.name, type: 1, options, ...resolved };
  return sendInteraction(state, 2, command, data, {
    app_permissions: command.appPermissions ?? ALL_PERMISSIONS,
    ...(command.attachmentSizeLimit === undefined
      ? {}
      : { attachment_size_limit: command.attachmentSizeLimit }),
  });
}

function optionType(value: Exclude<SlashOptionValue, object>): number {
  return typeof value === 'number' ? INTEGER_OPTION : STRING_OPTION;
}

/** Dispatches an autocomplete request (type 4) to every session; returns the interaction id. */
export function sendAutocomplete(state: FakeDiscordState, request: AutocompleteRequest): string {
  const options = [{ name: request.option, type: 3, value: request.value, focused: true }];
  const data = { id: state.snowflake(), name: request.name, type: 1, options };
  return sendInteraction(state, 4, request, data, { app_permissions: ALL_PERMISSIONS });
}

/** Dispatches INTERACTION_CREATE to every identified session; returns the interaction id. */
export function sendInteraction(
  state: FakeDiscordState,
  type: number,
  place: InteractionPlace,
  data: object,
  extra: Record<string, unknown>,
): string {
  const interactionId = state.snowflake();
  // Where the test names no server, the one that has the channel, as on Discord.
  const owner = state.options.guilds?.find((guild) => guild.channelIds.includes(place.channelId));
  const guildId = place.guildId ?? owner?.id;
  const payload = interactionJson({
    id: interactionId,
    applicationId: state.applicationId,
    botUserId: state.botUserId,
    type,
    token: '',
    place: guildId === undefined ? place : { ...place, guildId },
    data,
    extra,
  });
  state.interactions.set(interactionId, payload);
  redeliverInteraction(state, interactionId);
  return interactionId;
}

/** Dispatches a dispatched interaction again, with a fresh token to answer it with. */
export function redeliverInteraction(state: FakeDiscordState, interactionId: string): void {
  const payload = state.interactions.get(interactionId);
  if (payload === undefined) throw new Error(`no interaction ${interactionId}`);
  const token = `token-${interactionId}-${state.snowflake()}`;
  const channelId = String(payload.channel_id);
  state.tokens.set(token, { interactionId, channelId, issuedAt: Date.now() });
  state.dispatchedAt.set(interactionId, Date.now());
  const delivery = { ...payload, token };
  for (const socket of state.sessions) dispatch(state, socket, 'INTERACTION_CREATE', delivery);
}
