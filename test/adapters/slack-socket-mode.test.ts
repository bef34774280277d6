import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { SlackAdapter } from '../../src/adapters/slack/index.ts';
import { createCommandHandler } from '../../src/chat/command-handler.ts';
import { silentLogger } from '../../src/log.ts';
import { MemoryWatchStore } from '../../src/store/memory-watch-store.ts';
import { type FakeSlackApi, startFakeSlackApi, viewSubmissionPayload } from '../fakes/slack-api.ts';
import { type FakeSocketMode, startFakeSocketMode } from '../fakes/slack-socket-mode.ts';
import { type FakeSoraApi, startFakeSoraApi } from '../fakes/sora-api.ts';
import { type FakeVideoCdn, startFakeVideoCdn } from '../fakes/video-cdn.ts';
import { ManualClock } from '../support/manual-clock.ts';
import { createTestTracker, type TestTracker } from '../support/test-tracker.ts';
import { waitFor } from '../support/wait-for.ts';

const API_KEY = 'slack-socket-test-key';
const BOT_TOKEN = 'xoxb-test-token';
const APP_TOKEN = 'xapp-test-token';

const clock = new ManualClock();
let api: FakeSoraApi;
let cdn: FakeVideoCdn;
let slack: FakeSlackApi;
let socket: FakeSocketMode;
let workDir: string;
let adapter: SlackAdapter;
let tracker: TestTracker;
let stopped = false;

async function stopBot(): Promise<void> {
  if (stopped) return;
  stopped = true;
  await adapter.stop();
  await tracker.close();
}

before(async () => {
  [cdn, socket] = await Promise.all([
    startFakeVideoCdn(),
    startFakeSocketMode({ appToken: APP_TOKEN }),
  ]);
  slack = await startFakeSlackApi({ botToken: BOT_TOKEN, socketMode: socket });
  api = await startFakeSoraApi({
    apiKey: API_KEY,
    videoBaseUrl: cdn.baseUrl,
    now: () => clock.now(),
  });
  workDir = await mkdtemp(path.join(tmpdir(), 'sora-slack-socket-'));
  // An app token and no signing secret: Socket Mode.
  adapter = new SlackAdapter({
    botToken: BOT_TOKEN,
    appToken: APP_TOKEN,
    apiUrl: slack.apiUrl,
    logger: silentLogger,
  });
  tracker = createTestTracker({
    api: { baseUrl: api.baseUrl, apiKey: API_KEY },
    clock,
    store: new MemoryWatchStore(),
    adapters: [adapter],
    options: { downloadsDir: path.join(workDir, 'downloads') },
  });
  await tracker.tracker.start();
  await adapter.start(createCommandHandler(tracker.tracker, silentLogger));
});

after(async () => {
  await stopBot();
  await Promise.all([api.close(), cdn.close(), slack.close(), socket.close()]);
  await rm(workDir, { recursive: true, force: true });
});

function slashCommand(
  text: string,
  channelId: string,
): { envelopeId: string; responseUrl: string } {
  const responseUrl = slack.responseUrl();
  const envelopeId = socket.sendSlashCommand({
    command: '/sora-status',
    text,
    channelId,
    userId: 'U0ANN',
    responseUrl,
  });
  return { envelopeId, responseUrl };
}

const responseTo = (responseUrl: string) =>
  slack.responses.find((r) => responseUrl.endsWith(`/response/${r.id}`));

describe('Slack adapter in Socket Mode, against a fake Slack', () => {
  it('opens the connection with the app token and listens on no HTTP port', () => {
    assert.equal(adapter.connected(), true);
    const opens = slack.callsOf('apps.connections.open');
    assert.equal(opens.length, 1);
    assert.equal(opens[0]?.authorization, `Bearer ${APP_TOKEN}`);
    assert.equal(socket.opens, 1);
    assert.equal(socket.connections, 1);
    assert.equal(adapter.port, undefined);
    // The bot token still signs the Web API calls.
    assert.equal(slack.callsOf('auth.test')[0]?.authorization, `Bearer ${BOT_TOKEN}`);
  });

  it('acks a /sora-status envelope, posts a status card and answers privately', async () => {
    api.addTask({ id: 'sora_socket_ok', queuedMs: 20_000, processingMs: 90_000 });
    const { envelopeId, responseUrl } = slashCommand('sora_socket_ok', 'C0SOCK');

    await waitFor(() => socket.ackOf(envelopeId) !== undefined, 'the ack');
    assert.deepEqual(socket.ackOf(envelopeId), { envelope_id: envelopeId, payload: {} });

    await waitFor(() => responseTo(responseUrl) !== undefined, 'the answer');
    const answer = responseTo(responseUrl)?.body;
    assert.equal(answer?.response_type, 'ephemeral');
    assert.match(String(answer?.text), /Watching sora_socket_ok \(Sora 2 Plus, queued\)/);
    assert.match(String(answer?.text), /fake\.slack\.com\/archives\/C0SOCK/);

    const cards = slack.messages.filter((m) => m.channel === 'C0SOCK');
    assert.equal(cards.length, 1);
    assert.match(JSON.stringify(cards[0]?.blocks), /sora_socket_ok/);
    assert.match(JSON.stringify(cards[0]?.blocks), /<@U0ANN>/);
  });

  it('acks an invalid task id and answers it privately, posting nothing', async () => {
    const before = slack.messages.length;
    const { envelopeId, responseUrl } = slashCommand('sora/../x', 'C0SOCKBAD');

    await waitFor(() => socket.ackOf(envelopeId) !== undefined, 'the ack');
    assert.deepEqual(socket.ackOf(envelopeId)?.payload, {});
    await waitFor(() => responseTo(responseUrl) !== undefined, 'the answer');
    const answer = responseTo(responseUrl)?.body;
    assert.equal(answer?.response_type, 'ephemeral');
    assert.match(String(answer?.text), /letters, digits/);
    assert.doesNotMatch(String(answer?.text), /Watching/);
    assert.equal(slack.messages.length, before);
  });

  it('opens the /sora-create form over the socket and acks a form error in the envelope', async () => {
    const opened = slack.views.length;
    const envelopeId = socket.sendSlashCommand({
      command: '/sora-create',
      text: 'a fox in snow',
      channelId: 'C0SOCKFORM',
      userId: 'U0ANN',
      responseUrl: slack.responseUrl(),
    });
    await waitFor(() => socket.ackOf(envelopeId) !== undefined, 'the ack');
    await waitFor(() => slack.views.length > opened, 'the modal');
    const view = slack.views[opened];
    assert.ok(view);
    assert.equal(view.view.private_metadata, 'C0SOCKFORM');

    const submitted = socket.sendInteraction(
      viewSubmissionPayload({
        userId: 'U0ANN',
        opened: view,
        values: { model: 'veo_3_1_fast', prompt: 'a fox in snow', seconds: '4' },
      }),
    );
    await waitFor(() => socket.ackOf(submitted) !== undefined, 'the submission ack');
    const ack = socket.ackOf(submitted)?.payload;
    assert.equal(ack?.response_action, 'errors');
    assert.deepEqual(Object.keys(ack?.errors as object), ['seconds']);
  });

  it('closes the connection on stop and does not reconnect', async () => {
    const opens = socket.opens;
    await stopBot();
    assert.equal(adapter.connected(), false);
    await waitFor(() => socket.connections === 0, 'the socket to close', 2000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(socket.opens, opens);
    assert.equal(socket.accepted, 1);
    assert.equal(slack.callsOf('apps.connections.open').length, 1);
  });
});
