/**
 * A stand-in for Slack's side of Socket Mode: a WebSocket server on 127.0.0.1 that the real
 * Bolt app (through @slack/socket-mode) connects to.
 *
 * The fake Web API answers `apps.connections.open` with `connectionsOpen`, which checks the
 * app-level token and hands out this server's `ws://…/link` URL. On connect the server says
 * `hello`, as Slack does; it can then push slash command and interaction envelopes (a
 * modal's submission, built as over HTTP) and records every
 * acknowledgement (`{ envelope_id, payload? }`) the client sends back. Pings are answered
 * with pongs by `ws` itself.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';
import { slashCommandPayload } from './slack-api.ts';

export interface SocketAck {
  envelope_id: string;
  payload?: Record<string, unknown>;
}

export interface SocketSlashCommand {
  command: string;
  text: string;
  channelId: string;
  userId: string;
  responseUrl: string;
}

export interface FakeSocketMode {
  /** The `ws://127.0.0.1:PORT/link` URL handed out by `apps.connections.open`. */
  readonly url: string;
  /** How many times `apps.connections.open` handed out the URL. */
  readonly opens: number;
  /** WebSocket connections ever accepted on `/link`. */
  readonly accepted: number;
  /** Connections open now. */
  readonly connections: number;
  /** Every acknowledgement received, in order. */
  readonly acks: SocketAck[];
  /** Every message the client sent that is not an acknowledgement. */
  readonly others: unknown[];
  /** The answer to `apps.connections.open`, called by the fake Web API with its Authorization. */
  connectionsOpen(authorization: string | undefined): Record<string, unknown>;
  /** Pushes a slash command envelope to every open connection; returns its envelope id. */
  sendSlashCommand(command: SocketSlashCommand): string;
  /** Pushes an `interactive` envelope (e.g. `viewSubmissionPayload(…)`); returns its envelope id. */
  sendInteraction(payload: Record<string, unknown>): string;
  /** The acknowledgement of `envelopeId`, once it has arrived. */
  ackOf(envelopeId: string): SocketAck | undefined;
  close(): Promise<void>;
}

export async function startFakeSocketMode(options: { appToken: string }): Promise<FakeSocketMode> {
  const acks: SocketAck[] = [];
  const others: unknown[] = [];
  const sockets = new Set<WebSocket>();
  let opens = 0;
  let accepted = 0;
  let counter = 0;

  const server = createServer((_req, res) => {
    res.writeHead(426, { 'content-type': 'text/plain' }).end('WebSocket only');
  });
  const wss = new WebSocketServer({ noServer: true });
  server.on('upgrade', (req, socket, head) => {
    if (req.url !== '/link') {
      socket.end('HTTP/1.1 404 Not Found\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws));
  });
  wss.on('connection', (ws: WebSocket) => {
    accepted += 1;
    sockets.add(ws);
    ws.on('close', () => sockets.delete(ws));
    ws.on('error', () => sockets.delete(ws));
    ws.on('message', (data, isBinary) => {
      if (isBinary) return;
      const message = JSON.parse(data.toString()) as Record<string, unknown>;
      if (typeof message.envelope_id === 'string') acks.push(message as unknown as SocketAck);
      else others.push(message);
    });
    ws.send(
      JSON.stringify({
        type: 'hello',
        num_connections: sockets.size,
        debug_info: { host: 'fake-socket-mode', approximate_connection_time: 3600 },
        connection_info: { app_id: 'A1' },
      }),
    );
  });

  /** Sends an envelope to every open connection, as Slack does; returns its id. */
  function push(type: string, payload: Record<string, unknown>): string {
    if (sockets.size === 0) throw new Error('no Socket Mode connection to send to');
    const envelopeId = `envelope-${++counter}`;
    const envelope = { envelope_id: envelopeId, type, accepts_response_payload: true, payload };
    for (const ws of sockets) ws.send(JSON.stringify(envelope));
    return envelopeId;
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `ws://127.0.0.1:${port}/link`;

  return {
    url,
    get opens() {
      return opens;
    },
    get accepted() {
      return accepted;
    },
    get connections() {
      return sockets.size;
    },
    acks,
    others,
    connectionsOpen(authorization) {
      if (authorization !== `Bearer ${options.appToken}`)
        return { ok: false, error: 'invalid_auth' };
      opens += 1;
      return { ok: true, url };
    },
    sendSlashCommand: (command) => push('slash_commands', slashCommandPayload(command)),
    sendInteraction: (payload) => push('interactive', payload),
    ackOf: (envelopeId) => acks.find((a) => a.envelope_id === envelopeId),
    async close() {
      for (const ws of sockets) ws.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
