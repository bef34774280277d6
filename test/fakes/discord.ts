/**
 * A stand-in for Discord, served over real HTTP and WebSocket on 127.0.0.1 so a real
 * discord.js `Client` logs in to it through `rest.api`: the gateway (HELLO, heartbeat ACK,
 * IDENTIFY → READY and a GUILD_CREATE per server, INTERACTION_CREATE on demand: slash
 * commands, autocomplete, modal submissions, clicks on buttons of answers and of channel
 * messages, channel picks) and the REST routes the bot uses (interaction callbacks, modals
 * and deferred updates, webhook edits, channel messages with multipart files, components and
 * nonce dedupe, message edits, command registration). Every call is recorded; errors can be
 * queued per route, for the next upload to a channel or the next interaction callback, and
 * every 429 carries Retry-After as Discord's does.
 *
 * This file starts the servers and hands out the controls; the gateway lives in
 * discord/gateway.ts (modal submissions in discord/form-interactions.ts, clicks and picks in
 * discord/component-interactions.ts), the REST
 * API in discord/rest.ts and the route files it uses, and the public types in
 * discord/types.ts.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { clickButton, pickChannel } from './discord/component-interactions.ts';
import { sendModalSubmit } from './discord/form-interactions.ts';
import {
  GATEWAY_PATH,
  redeliverInteraction,
  sendAutocomplete,
  sendSlashCommand,
  serveGatewaySessions,
} from './discord/gateway.ts';
import { send } from './discord/http-bodies.ts';
import { handleRestRequest } from './discord/rest.ts';
import { createFakeDiscordState, type FakeDiscordState } from './discord/state.ts';
import type { FakeDiscord, FakeDiscordOptions } from './discord/types.ts';

export { filledIn } from './discord/form-interactions.ts';
export type {
  AutocompleteAnswer,
  AutocompleteRequest,
  ButtonClick,
  ChannelPick,
  FakeDiscord,
  FakeDiscordOptions,
  FakeGuild,
  FakeMessage,
  FakeModal,
  FakeUpload,
  InjectedError,
  InteractionReply,
  ModalFieldValue,
  ModalSubmission,
  RecordedCall,
  RecordedFile,
  SlashCommand,
  SlashOptionValue,
} from './discord/types.ts';

export async function startFakeDiscord(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
  const server = createServer((req, res) => {
    void handleRestRequest(state, req, res).catch((error: unknown) => {
      if (!res.headersSent) send(res, 500, { message: String(error), code: 0 });
    });
  });
  const wss = new WebSocketServer({ server, path: GATEWAY_PATH });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  const gatewayUrl = `ws://127.0.0.1:${port}${GATEWAY_PATH}`;
  // Requests only arrive once the server listens, so `state` is set before the handler runs.
  const state: FakeDiscordState = createFakeDiscordState(options, origin, gatewayUrl);
  const { messages, heldAnswers, sessions } = state;

  serveGatewaySessions(wss, state);

  return {
    apiUrl: `${origin}/api`,
    calls: state.calls,
    messages,
    replies: state.replies,
    autocompletes: state.autocompletes,
    modals: state.modals,
    identifies: () => state.identified,
    sendSlashCommand: (command) => sendSlashCommand(state, command),
    sendAutocomplete: (request) => sendAutocomplete(state, request),
    sendModalSubmit: (submission) => sendModalSubmit(state, submission),
    clickButton: (click) => clickButton(state, click),
    pickChannel: (pick) => pickChannel(state, pick),
    redeliverInteraction: (interactionId) => redeliverInteraction(state, interactionId),
    inject(method, path, ...errors) {
      const key = `${method} ${path}`;
      state.injected.set(key, [...(state.injected.get(key) ?? []), ...errors]);
    },
    expireInteractionTokens() {
      for (const token of state.tokens.values()) token.issuedAt = Number.NEGATIVE_INFINITY;
    },
    setUploadLimit(channelId, bytes) {
      state.uploadLimits.set(channelId, bytes);
    },
    ageMessage(messageId, ms) {
      const message = messages.find((m) => m.id === messageId);
      if (!message) throw new Error(`no message ${messageId}`);
      message.createdAt -= ms;
    },
    holdNextUpload(channelId) {
      state.holdUploadIn.add(channelId);
    },
    holdNextPost(channelId) {
      state.holdPostIn.add(channelId);
    },
    refuseNextUpload(channelId, error) {
      state.refusedUploads.set(channelId, [...(state.refusedUploads.get(channelId) ?? []), error]);
    },
    refuseNextInteractionCallback(error) {
      state.refusedCallbacks.push(error);
    },
    heldUploads: () => heldAnswers.length,
    releaseHeldUploads() {
      for (const release of heldAnswers.splice(0)) release();
    },
    deleteMessage(messageId) {
      const index = messages.findIndex((m) => m.id === messageId);
      if (index === -1) throw new Error(`no message ${messageId}`);
      messages.splice(index, 1);
    },
    messagesIn: (channelId) => messages.filter((m) => m.channelId === channelId),
    async close() {
      for (const socket of sessions) socket.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
