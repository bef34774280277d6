/**
 * The fake Discord's gateway, the WebSocket side: each session gets HELLO, its heartbeats
 * are ACKed, and IDENTIFY is answered with READY and a GUILD_CREATE per server. Tests push
 * slash commands and autocomplete requests to every session as INTERACTION_CREATE, each with
 * a fresh token that the REST routes later check.
 */
import type { WebSocket, WebSocketServer } from 'ws';
import { ALL_PERMISSIONS, type InteractionPlace, interactionJson } from './interaction-payload.ts';
import { botUserJson, guildJson } from './payloads.ts';
import type { FakeDiscordState } from './state.ts';
import type { AutocompleteRequest, SlashCommand } from './types.ts';

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

/** Dispatches a slash command (type 2) to every session; returns the interaction id. */
export function sendSlashCommand(state: FakeDiscordState, command: SlashCommand): string {
  const options = Object.entries(command.options ?? {}).map(([name, value]) => ({
    name,
    type: 3,
    value,
  }));
  return sendInteraction(state, 2, command, command.name, options, {
    app_permissions: command.appPermissions ?? ALL_PERMISSIONS,
    ...(command.attachmentSizeLimit === undefined
      ? {}
      : { attachment_size_limit: command.attachmentSizeLimit }),
  });
}

/** Dispatches an autocomplete request (type 4) to every session; returns the interaction id. */
export function sendAutocomplete(state: FakeDiscordState, request: AutocompleteRequest): string {
  const options = [{ name: request.option, type: 3, value: request.value, focused: true }];
  return sendInteraction(state, 4, request, request.name, options, {
    app_permissions: ALL_PERMISSIONS,
  });
}

/** Dispatches INTERACTION_CREATE to every identified session; returns the interaction id. */
function sendInteraction(
  state: FakeDiscordState,
  type: number,
  place: InteractionPlace,
  name: string,
  options: object[],
  extra: Record<string, unknown>,
): string {
  const interactionId = state.snowflake();
  const token = `token-${interactionId}`;
  state.tokens.set(token, { interactionId, channelId: place.channelId, issuedAt: Date.now() });
  state.dispatchedAt.set(interactionId, Date.now());
  const payload = interactionJson({
    id: interactionId,
    commandId: state.snowflake(),
    applicationId: state.applicationId,
    botUserId: state.botUserId,
    type,
    token,
    place,
    name,
    options,
    extra,
  });
  for (const socket of state.sessions) dispatch(state, socket, 'INTERACTION_CREATE', payload);
  return interactionId;
}
