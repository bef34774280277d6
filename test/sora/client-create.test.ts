import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { creatableModels } from '../../src/models/index.ts';
import type { SoraClient } from '../../src/sora/client.ts';
import {
  ApiUnavailable,
  ApiUnreachable,
  InsufficientBalance,
  InvalidCreateParams,
  userMessage,
} from '../../src/sora/errors.ts';
import { type FakeSoraApi, startFakeSoraApi } from '../fakes/sora-api.ts';
import { ManualClock } from '../support/manual-clock.ts';
import { createTestSoraClient } from '../support/test-sora-client.ts';

const API_KEY = 'sk-test-secret-key-123';
const IMG = 'https://img.example/a.png';

let fake: FakeSoraApi;
let timelineNow = 0;
const clients: SoraClient[] = [];

before(async () => {
  fake = await startFakeSoraApi({
    apiKey: API_KEY,
    now: () => timelineNow,
    createTimeline: (duration) => ({ queuedMs: 1000, processingMs: duration * 1000 }),
  });
});
after(async () => {
  await Promise.all(clients.map((client) => client.close()));
  await fake.close();
});
beforeEach(() => {
  fake.requests.length = 0;
  fake.creates.length = 0;
  timelineNow = 0;
});

function makeClient(requestTimeoutMs = 2000): { client: SoraClient; clock: ManualClock } {
  const clock = new ManualClock();
  const client = createTestSoraClient({ baseUrl: fake.baseUrl, apiKey: API_KEY }, clock, {
    requestTimeoutMs,
  });
  clients.push(client);
  return { client, clock };
}

describe('SoraClient.createTask', () => {
  it('posts a Sora create to the Sora endpoint, and the task reads back as asked', async () => {
    const { client } = makeClient();
    const task = await client.createTask({
      model: 'openAiSora2Pro',
      prompt: '  a cat surfing a wave  ',
      aspect_ratio: '16:9',
      duration: 8,
    });
    assert.equal(task.status, 'queued');
    assert.match(task.id, /^sora_/);
    assert.equal(task.model, 'openAiSora2Pro');
    const sent = fake.requests[0];
    assert.equal(sent?.method, 'POST');
    assert.equal(sent?.path, '/kyyReactApiServer/v1/sora/videos');
    assert.equal(sent?.idempotencyKey, undefined);
    assert.deepEqual(JSON.parse(sent?.body ?? ''), {
      model: 'openAiSora2Pro',
      prompt: 'a cat surfing a wave',
      aspect_ratio: '16:9',
      duration: 8,
    });

    timelineNow = 1000 + 8000;
    const done = await client.getTask(task.id);
    assert.equal(done.status, 'completed');
    assert.equal(done.model, 'openAiSora2Pro');
    assert.equal(done.actualDuration, 8);
  });

  it('posts a VEO create to the VEO endpoint; the clip is 8 s', async () => {
    const { client } = makeClient();
    const refs = ['https://a.example/1.png', 'https://a.example/2.png', 'https://a.example/3.png'];
    const task = await client.createTask({
      model: 'veo_3_1_pro',
      prompt: 'a lighthouse at dusk',
      resolution: '4K',
      aspect_ratio: '9:16',
      input_reference: refs,
    });
    assert.match(task.id, /^vgen_/);
    assert.equal(task.model, 'veo_3_1_pro');
    assert.equal(task.object, 'video');
    assert.deepEqual(fake.creates, [
      {
        endpoint: '/v1/veo/videos',
        body: {
          model: 'veo_3_1_pro',
          prompt: 'a lighthouse at dusk',
          resolution: '4K',
          aspect_ratio: '9:16',
          input_reference: refs,
        },
        idempotencyKey: undefined,
        taskId: task.id,
      },
    ]);

    assert.equal((await client.getTask(task.id)).status, 'queued');
    timelineNow = 1000 + 8000;
    const done = await client.getTask(task.id);
    assert.equal(done.status, 'completed');
    assert.equal(done.actualDuration, 8);
  });

  it('sends first/last-frame mode to VEO', async () => {
    const { client } = makeClient();
    const task = await client.createTask({
      model: 'veo_3_1_fast_stable',
      prompt: 'a door opening',
      first_frame: 'https://a.example/first.png',
      last_frame: 'https://a.example/last.png',
    });
    assert.equal(task.model, 'veo_3_1_fast_stable');
    assert.deepEqual(fake.creates[0]?.body, {
      model: 'veo_3_1_fast_stable',
      prompt: 'a door opening',
      first_frame: 'https://a.example/first.png',
      last_frame: 'https://a.example/last.png',
    });
  });

  it('is accepted by the service for every choice a form offers', async () => {
    const { client } = makeClient();
    let sent = 0;
    for (const model of creatableModels()) {
      const shapes = [
        ...model.sizes.map((size) => ({ size })),
        ...model.aspectRatios.map((aspect_ratio) => ({ aspect_ratio })),
      ];
      for (const [i, shape] of shapes.entries()) {
        const seconds = model.clipSeconds[i % model.clipSeconds.length];
        const resolution = model.resolutions[i % Math.max(1, model.resolutions.length)];
        const task = await client.createTask({
          model: model.id,
          prompt: 'x',
          ...shape,
          ...(seconds === undefined ? {} : { seconds }),
          ...(resolution === undefined ? {} : { resolution }),
          input_reference: Array(model.maxReferenceImages).fill(IMG),
        });
        assert.equal(task.model, model.id);
        sent += 1;
      }
    }
    assert.equal(fake.creates.length, sent);
    assert.ok(fake.creates.every((create) => create.taskId !== undefined));
  });

  it('sends the Idempotency-Key given, the same on every attempt', async () => {
    const { client, clock } = makeClient();
    fake.misbehaveAll({ kind: 'status', status: 429, retryAfter: '1' });
    const task = await clock.stepWhile(
      client.createTask(
        { model: 'veo_3_1_fast', prompt: 'x' },
        { idempotencyKey: 'slack:C0123:1718000000.0001' },
      ),
    );
    assert.equal(task.status, 'queued');
    assert.deepEqual(
      fake.requests.map((r) => r.idempotencyKey),
      ['slack:C0123:1718000000.0001', 'slack:C0123:1718000000.0001'],
    );
    assert.deepEqual(clock.sleeps, [1000]);
    assert.equal(fake.creates.at(-1)?.idempotencyKey, 'slack:C0123:1718000000.0001');
  });

  it('refuses a request its model’s rules refuse before sending anything, naming the fields', async () => {
    const { client } = makeClient();
    const error = await client
      .createTask(
        {
          model: 'openAiSora2Plus',
          prompt: ' ',
          size: '720x1280',
          aspect_ratio: '9:16',
          duration: 5,
        },
        { idempotencyKey: 'has spaces' },
      )
      .catch((e: unknown) => e);
    assert.ok(error instanceof InvalidCreateParams);
    assert.deepEqual(error.fields, ['prompt', 'aspect_ratio', 'duration', 'idempotencyKey']);
    assert.equal(error.problems.length, 4);

    const veo = await client
      .createTask({ model: 'veo_3_1_fast_stable', prompt: 'x', resolution: '4K' })
      .catch((e: unknown) => e);
    assert.ok(veo instanceof InvalidCreateParams);
    assert.deepEqual(veo.fields, ['resolution']);

    const seedance = await client
      .createTask({ model: 'seedance_2_0', prompt: 'x' })
      .catch((e: unknown) => e);
    assert.ok(seedance instanceof InvalidCreateParams);
    assert.deepEqual(seedance.fields, ['model']);
    assert.equal(
      userMessage(seedance),
      'The video request is not valid: Seedance 2.0 can be watched but not created from here.',
    );
    assert.equal(fake.requests.length, 0);
  });

  it('never repeats a create the service may have received: 5xx, reset, timeout', async () => {
    const { client, clock } = makeClient(300);
    const request = { model: 'veo_3_1_fast', prompt: 'x' };
    fake.misbehaveAll({ kind: 'status', status: 500 });
    await assert.rejects(client.createTask(request, { idempotencyKey: 'k1' }), ApiUnavailable);
    assert.equal(fake.requests.length, 1);

    fake.misbehaveAll({ kind: 'reset' });
    await assert.rejects(client.createTask(request, { idempotencyKey: 'k2' }), ApiUnreachable);
    assert.equal(fake.requests.length, 2);

    fake.misbehaveAll({ kind: 'hang' });
    await assert.rejects(client.createTask(request), ApiUnreachable);
    assert.equal(fake.requests.length, 3);
    assert.equal(clock.pending, 0);
    assert.deepEqual(clock.sleeps, []);
  });

  it('passes the service’s own explanation of a refused create on', async () => {
    const { client } = makeClient();
    fake.misbehaveAll({
      kind: 'status',
      status: 400,
      body: JSON.stringify({ error: { message: 'image size does not match the orientation' } }),
    });
    const error = await client
      .createTask({ model: 'openAiSora2Plus', prompt: 'x', input_reference: IMG })
      .catch((e: unknown) => e);
    assert.ok(error instanceof InvalidCreateParams);
    assert.deepEqual(error.problems, ['image size does not match the orientation']);
    assert.deepEqual(error.fields, []);
    assert.equal(error.contentRefused, false);
    assert.equal(fake.requests.length, 1);

    // The body the service refused is kept for a test to read.
    assert.deepEqual(fake.creates[0]?.body, {
      model: 'openAiSora2Plus',
      prompt: 'x',
      image_urls: [IMG],
    });
  });

  it('tells a refusal on content grounds in plain words', async () => {
    const { client } = makeClient();
    fake.misbehaveAll({
      kind: 'status',
      status: 400,
      body: JSON.stringify({ error: 'Your request was rejected by the safety system' }),
    });
    const error = await client
      .createTask({ model: 'openAiSora2Plus', prompt: 'a portrait of a celebrity' })
      .catch((e: unknown) => e);
    assert.ok(error instanceof InvalidCreateParams);
    assert.equal(error.contentRefused, true);
    assert.equal(
      userMessage(error),
      'The service refused this video on content grounds (Your request was rejected by the safety system); change the prompt or the image and try again.',
    );
  });

  it('reports a balance too low, from a 402 or a refusal that says so, without retrying', async () => {
    const { client } = makeClient();
    fake.misbehaveAll(
      { kind: 'status', status: 402, body: '{}' },
      {
        kind: 'status',
        status: 400,
        body: JSON.stringify({ error: { message: 'Insufficient account balance' } }),
      },
      { kind: 'status', status: 403, body: JSON.stringify({ message: '余额不足' }) },
    );
    const request = { model: 'veo_3_1_fast', prompt: 'x' };
    const noWords = await client.createTask(request).catch((e: unknown) => e);
    assert.ok(noWords instanceof InsufficientBalance);
    assert.equal(noWords.detail, undefined);
    const worded = await client.createTask(request).catch((e: unknown) => e);
    assert.ok(worded instanceof InsufficientBalance);
    assert.equal(worded.detail, 'Insufficient account balance');
    await assert.rejects(client.createTask(request), InsufficientBalance);
    assert.equal(fake.requests.length, 3);
    assert.equal(
      userMessage(worded),
      'The video service account has run out of balance; no video was started. Top the account up and try again.',
    );
  });

  it('meets the fake service’s own moderation and balance, as the real one answers them', async () => {
    const { client } = makeClient();
    const refused = await client
      .createTask({ model: 'veo_3_1_fast', prompt: 'a FORBIDDEN dance' })
      .catch((e: unknown) => e);
    assert.ok(refused instanceof InvalidCreateParams);
    assert.equal(refused.contentRefused, true);
    fake.account.balanceSeconds = 12;
    await client.createTask({ model: 'veo_3_1_fast', prompt: 'a kite' });
    const broke = await client
      .createTask({ model: 'veo_3_1_fast', prompt: 'a second kite' })
      .catch((e: unknown) => e);
    assert.ok(broke instanceof InsufficientBalance, '4 s left, 8 s asked');
    await client.createTask({ model: 'openAiSora2Plus', prompt: 'a short kite', seconds: 4 });
    assert.equal(fake.account.balanceSeconds, 0);
    delete fake.account.balanceSeconds;
  });
});
