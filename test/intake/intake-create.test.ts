/**
 * `POST /v1/videos`: another program makes a video through the bot, which watches it and
 * announces it where asked. The same `Idempotency-Key` within a day answers with the first
 * task and never creates again; a bad field is named; a refusal is said in plain words.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Creator } from '../../src/create/creator.ts';
import { SpendingLimits } from '../../src/create/spending-limits.ts';
import { startHttpServer, stopHttpServer } from '../../src/http/server.ts';
import { intakeRoutes } from '../../src/intake/routes.ts';
import { silentLogger } from '../../src/log.ts';
import { MemoryWatchStore } from '../../src/store/memory-watch-store.ts';
import { type FakeSoraApi, startFakeSoraApi } from '../fakes/sora-api.ts';
import { ManualClock } from '../support/manual-clock.ts';
import { RecordingAdapter } from '../support/recording-adapter.ts';
import { createTestTracker, type TestTracker } from '../support/test-tracker.ts';

const API_KEY = 'intake-create-key';
const TOKEN = 'intake-token-create-0123456789';
const clock = new ManualClock();
const slack = new RecordingAdapter('slack');
let api: FakeSoraApi;
let wired: TestTracker;
let workDir: string;
let server: Server;
let watchOnly: Server;

before(async () => {
  api = await startFakeSoraApi({ apiKey: API_KEY, now: () => clock.now() });
  workDir = await mkdtemp(path.join(tmpdir(), 'sora-intake-create-'));
  const store = new MemoryWatchStore(() => clock.now());
  wired = createTestTracker({
    api: { baseUrl: api.baseUrl, apiKey: API_KEY },
    clock,
    store,
    adapters: [slack],
    options: { downloadsDir: path.join(workDir, 'downloads') },
  });
  await wired.tracker.start();
  const creator = new Creator({
    sora: wired.client,
    tracker: wired.tracker,
    records: store,
    clock,
  });
  const rules = { token: TOKEN, logger: silentLogger, platforms: ['slack'], defaultNotify: [] };
  server = await startHttpServer(
    0,
    intakeRoutes({
      ...rules,
      service: {
        watch: (id, origin, known) => wired.tracker.watch(id, origin, known),
        find: (id) => wired.tracker.find(id),
        create: (request, origins, key) => creator.create(request, origins, key),
      },
    }),
  );
  watchOnly = await startHttpServer(0, intakeRoutes({ ...rules, service: wired.tracker }));
});
after(async () => {
  await Promise.all([stopHttpServer(server), stopHttpServer(watchOnly)]);
  await wired.close();
  await api.close();
  await rm(workDir, { recursive: true, force: true });
});

async function postVideo(body: unknown, headers: Record<string, string> = {}, to = server) {
  const port = (to.address() as AddressInfo).port;
  const response = await fetch(`http://127.0.0.1:${port}/v1/videos`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return {
    status: response.status,
    headers: response.headers,
    body: (await response.json()) as Record<string, unknown>,
  };
}

const VEO = {
  model: 'veo_3_1_fast',
  prompt: 'A lighthouse in a storm',
  aspect_ratio: '9:16',
  resolution: '1080p',
  notify: ['slack:C0STUDIO'],
  requested_by: 'ci-pipeline',
};

describe('POST /v1/videos', () => {
  it('creates, watches and announces; the same Idempotency-Key answers with the first task', async () => {
    const before = api.creates.length;
    const first = await postVideo(VEO, { 'idempotency-key': 'build-4711' });
    assert.equal(first.status, 201);
    assert.match(String(first.body.task_id), /^vgen_/);
    assert.equal(first.body.model, 'veo_3_1_fast');
    assert.equal(api.creates.length - before, 1);
    assert.deepEqual(api.creates.at(-1)?.body, {
      model: 'veo_3_1_fast',
      prompt: 'A lighthouse in a storm',
      aspect_ratio: '9:16',
      resolution: '1080p',
    });
    const card = slack.shownTo('slack:C0STUDIO').find((s) => s.view.taskId === first.body.task_id);
    assert.ok(card?.posted, 'the card is in the channel at once');
    assert.deepEqual(card?.view.requestedBy, ['ci-pipeline']);

    const again = await postVideo(VEO, { 'idempotency-key': 'build-4711' });
    assert.equal(again.status, 200);
    assert.equal(again.body.task_id, first.body.task_id);
    assert.equal(again.body.repeated, true);
    assert.equal(api.creates.length - before, 1, 'never created again');

    const other = await postVideo(VEO, { 'idempotency-key': 'build-4712' });
    assert.equal(other.status, 201);
    assert.notEqual(other.body.task_id, first.body.task_id, 'another key, another video');
  });

  it('names the field that breaks the model’s rules, and sends nothing', async () => {
    const before = api.requests.length;
    const answer = await postVideo({ ...VEO, model: 'veo_3_1_fast_stable', resolution: '4K' });
    assert.equal(answer.status, 400);
    assert.deepEqual(
      (answer.body.problems as { field: string }[]).map((p) => p.field),
      ['resolution'],
    );
    assert.match(String(answer.body.error), /^The video request is not valid: /);
    const unknown = await postVideo({ ...VEO, model: 'seedance_2_0' });
    assert.equal(unknown.status, 400);
    assert.match(String(unknown.body.error), /can be watched but not created from here/);
    const bare = await postVideo({ notify: ['slack:C0STUDIO'] });
    assert.equal(bare.status, 400);
    assert.match(String(bare.body.error), /"model" and "prompt" are required/);
    assert.equal(api.requests.length, before);
  });

  it('says a balance too low in plain words (402), with no video started', async () => {
    api.misbehaveAll({ kind: 'status', status: 402, body: '{}' });
    const answer = await postVideo(VEO, { 'idempotency-key': 'broke-1' });
    assert.equal(answer.status, 402);
    assert.match(String(answer.body.error), /run out of balance; no video was started/);
  });

  it('refuses a malformed Idempotency-Key, and is not offered where the bot makes no videos', async () => {
    const bad = await postVideo(VEO, { 'idempotency-key': 'two words' });
    assert.equal(bad.status, 400);
    assert.match(String(bad.body.error), /Idempotency-Key/);
    const absent = await postVideo(VEO, {}, watchOnly);
    assert.equal(absent.status, 404);
  });

  it('answers 429 with the reset time once the bot has made its daily seconds, sending nothing', async () => {
    const limits = new SpendingLimits({
      rules: { allowed: ['slack:U0NOBODY'], admins: [], dailyVideos: 1, botDailySeconds: 8 },
      store: new MemoryWatchStore(() => clock.now()),
      clock,
    });
    const creator = new Creator({
      sora: wired.client,
      tracker: wired.tracker,
      records: new MemoryWatchStore(() => clock.now()),
      clock,
      limits,
    });
    const budgeted = await startHttpServer(
      0,
      intakeRoutes({
        token: TOKEN,
        logger: silentLogger,
        platforms: ['slack'],
        defaultNotify: [],
        service: {
          watch: (id, origin, known) => wired.tracker.watch(id, origin, known),
          find: (id) => wired.tracker.find(id),
          create: (request, origins, key) => creator.create(request, origins, key),
        },
      }),
    );
    try {
      const first = await postVideo(VEO, { 'idempotency-key': 'budget-1' }, budgeted);
      assert.equal(
        first.status,
        201,
        'a program is no person: CREATE_ALLOWED and per-person limits do not apply',
      );
      const before = api.creates.length;
      const over = await postVideo(VEO, { 'idempotency-key': 'budget-2' }, budgeted);
      assert.equal(over.status, 429);
      assert.equal(over.body.limit, 'bot-seconds');
      assert.equal(
        over.headers.get('retry-after'),
        String((Date.UTC(2026, 0, 2) - clock.now()) / 1000),
      );
      assert.match(
        String(over.body.error),
        /^The bot has made 8 s of its 8 s of video for today\. It resets at midnight UTC/,
      );
      assert.match(String(over.body.resets_at), /T00:00:00\.000Z$/);
      assert.equal(api.creates.length, before);
    } finally {
      await stopHttpServer(budgeted);
    }
  });
});
