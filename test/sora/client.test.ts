import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { SoraClient, SoraClientOptions } from '../../src/sora/client.ts';
import {
  ApiUnavailable,
  ApiUnreachable,
  AuthFailed,
  BadResponse,
  InvalidTaskId,
  RateLimited,
  TaskNotFound,
  userMessage,
} from '../../src/sora/errors.ts';
import { RequestRateCap } from '../../src/sora/rate-cap.ts';
import { isTerminal } from '../../src/sora/task.ts';
import { type FakeSoraApi, startFakeSoraApi } from '../fakes/sora-api.ts';
import { ManualClock, settle } from '../support/manual-clock.ts';
import { createTestSoraClient } from '../support/test-sora-client.ts';
import { waitFor } from '../support/wait-for.ts';

const API_KEY = 'sk-test-secret-key-123';

let fake: FakeSoraApi;
let timelineNow = 0;
const clients: SoraClient[] = [];

before(async () => {
  fake = await startFakeSoraApi({ apiKey: API_KEY, now: () => timelineNow });
});
after(async () => {
  await Promise.all(clients.map((client) => client.close()));
  await fake.close();
});
beforeEach(() => {
  fake.requests.length = 0;
});

/** A client on a manual clock whose jitter is always half the ceiling. */
function makeClient(overrides: Partial<SoraClientOptions> = {}): {
  client: SoraClient;
  clock: ManualClock;
} {
  const clock = new ManualClock();
  const client = createTestSoraClient({ baseUrl: fake.baseUrl, apiKey: API_KEY }, clock, {
    requestTimeoutMs: 2000,
    ...overrides,
  });
  clients.push(client);
  return { client, clock };
}

describe('SoraClient.getTask', () => {
  it('reads each state of a task into a typed VideoTask', async () => {
    const { client } = makeClient();
    timelineNow = 0;
    fake.addTask({
      id: 'sora_states',
      queuedMs: 1000,
      processingMs: 1000,
      actualDuration: 8,
      created: 1_760_000_000,
    });
    const queued = await client.getTask('sora_states');
    assert.deepEqual(queued, {
      id: 'sora_states',
      object: 'video.generation',
      created: 1_760_000_000,
      model: 'openAiSora2Plus',
      status: 'queued',
    });
    timelineNow = 1500;
    assert.equal((await client.getTask('sora_states')).status, 'processing');
    timelineNow = 2500;
    const done = await client.getTask('sora_states');
    assert.equal(done.status, 'completed');
    assert.equal(done.actualDuration, 8);
    assert.match(done.videoUrl ?? '', /^https:\/\/.+\/videos\/sora_states\.mp4$/);
    assert.equal(isTerminal(done.status), true);
  });

  it('sends the key as a bearer token to the documented path', async () => {
    const { client } = makeClient();
    fake.addTask({ id: 'sora-path_1' });
    await client.getTask('  sora-path_1 ');
    assert.equal(fake.requests.length, 1);
    assert.equal(fake.requests[0]?.path, '/kyyReactApiServer/v1/result/sora-path_1');
    assert.equal(fake.requests[0]?.authorization, `Bearer ${API_KEY}`);
  });

  it('keeps a failed task’s error and an undocumented status verbatim', async () => {
    const { client } = makeClient();
    fake.addTask({ id: 'sora_failed', outcome: 'failed', error: 'Prompt rejected' });
    fake.addTask({ id: 'sora_odd', outcome: 'upscaling' });
    const failed = await client.getTask('sora_failed');
    assert.equal(failed.status, 'failed');
    assert.equal(failed.error, 'Prompt rejected');
    const odd = await client.getTask('sora_odd');
    assert.equal(odd.status, 'upscaling');
    assert.equal(isTerminal(odd.status), false);
  });

  it('refuses hostile ids without sending a single request', async () => {
    const { client } = makeClient();
    const hostile = [
      '',
      '   ',
      '../x',
      'a/b',
      'a?b',
      'a#b',
      '%2e%2e',
      'a b',
      'a\u0000b',
      'line\nbreak',
      'tab\there',
      'a.b',
      'a:b',
      'é',
      '\u202eevil',
      'x'.repeat(129),
      'x'.repeat(100_000),
    ];
    for (const id of hostile) {
      await assert.rejects(client.getTask(id), InvalidTaskId, JSON.stringify(id.slice(0, 20)));
    }
    assert.equal(fake.requests.length, 0);
    // The sentence shown to a person escapes control characters and stays short.
    const message = userMessage(new InvalidTaskId('a\u0000b\nc', 'x'));
    assert.ok(!message.includes('\u0000') && !message.includes('\n'), message);
  });

  it('maps 401 and 403 to AuthFailed without retrying or showing the key', async () => {
    const { client } = makeClient({ apiKey: 'sk-wrong-key-456' });
    fake.addTask({ id: 'sora_auth' });
    const error = await client.getTask('sora_auth').catch((e: unknown) => e);
    assert.ok(error instanceof AuthFailed);
    assert.equal(error.status, 401);
    assert.equal(fake.requests.length, 1);
    assert.doesNotMatch(`${error.message} ${userMessage(error)}`, /sk-wrong-key-456/);

    const { client: other } = makeClient();
    fake.misbehave('sora_auth', { kind: 'status', status: 403 });
    await assert.rejects(other.getTask('sora_auth'), AuthFailed);
    assert.equal(fake.requests.length, 2);
  });

  it('maps 404 to TaskNotFound without retrying', async () => {
    const { client } = makeClient();
    await assert.rejects(client.getTask('sora_missing'), TaskNotFound);
    assert.equal(fake.requests.length, 1);
  });

  it('waits exactly the Retry-After seconds on the injected clock before asking again', async () => {
    const { client, clock } = makeClient();
    fake.addTask({ id: 'sora_429' });
    fake.misbehave('sora_429', { kind: 'status', status: 429, retryAfter: '2' });
    const pending = client.getTask('sora_429');
    await waitFor(() => clock.pending === 1, 'the client to sleep');
    assert.deepEqual(clock.sleeps, [2000]);
    await clock.advance(1999);
    await settle();
    assert.equal(fake.requests.length, 1, 'no second request before Retry-After has passed');
    await clock.advance(1);
    assert.equal((await pending).status, 'completed');
    assert.equal(fake.requests.length, 2);
  });

  it('reads Retry-After given as an HTTP date', async () => {
    const { client, clock } = makeClient();
    fake.addTask({ id: 'sora_429_date' });
    const inFiveSeconds = new Date(clock.now() + 5000).toUTCString();
    fake.misbehave('sora_429_date', { kind: 'status', status: 429, retryAfter: inFiveSeconds });
    await clock.stepWhile(client.getTask('sora_429_date'));
    assert.deepEqual(clock.sleeps, [5000]);
  });

  it('backs off exponentially with full jitter when no Retry-After is given', async () => {
    const { client, clock } = makeClient({ backoff: { baseMs: 1000, capMs: 3000 } });
    fake.addTask({ id: 'sora_429_bare' });
    const rateLimited = { kind: 'status', status: 429 } as const;
    fake.misbehave('sora_429_bare', rateLimited, rateLimited, rateLimited, rateLimited);
    await clock.stepWhile(client.getTask('sora_429_bare'));
    // Half of min(cap, base·2^(n-1)) with the fixed random value 0.5.
    assert.deepEqual(clock.sleeps, [500, 1000, 1500, 1500]);
    assert.equal(fake.requests.length, 5);
  });

  it('gives up with RateLimited after the attempt bound', async () => {
    const { client, clock } = makeClient({ maxAttempts: 3 });
    fake.addTask({ id: 'sora_429_forever' });
    const steps = Array.from({ length: 3 }, () => ({ kind: 'status', status: 429 }) as const);
    fake.misbehave('sora_429_forever', ...steps);
    await assert.rejects(clock.stepWhile(client.getTask('sora_429_forever')), RateLimited);
    assert.equal(fake.requests.length, 3);
    assert.equal(clock.sleeps.length, 2);
  });

  it('retries 5xx, then reports ApiUnavailable when it persists', async () => {
    const { client, clock } = makeClient({ maxAttempts: 3 });
    fake.addTask({ id: 'sora_5xx' });
    fake.misbehave('sora_5xx', { kind: 'status', status: 502 }, { kind: 'status', status: 503 });
    assert.equal((await clock.stepWhile(client.getTask('sora_5xx'))).status, 'completed');
    assert.equal(fake.requests.length, 3);

    const error5xx = { kind: 'status', status: 500 } as const;
    fake.misbehave('sora_5xx', error5xx, error5xx, error5xx);
    const error = await clock.stepWhile(client.getTask('sora_5xx')).catch((e) => e);
    assert.ok(error instanceof ApiUnavailable);
    assert.equal(error.status, 500);
  });

  it('retries HTML pages and truncated JSON, but not a well-formed answer of the wrong shape', async () => {
    const { client, clock } = makeClient();
    fake.addTask({ id: 'sora_garbled' });
    fake.misbehave('sora_garbled', { kind: 'html' }, { kind: 'truncated' });
    assert.equal((await clock.stepWhile(client.getTask('sora_garbled'))).status, 'completed');
    assert.equal(fake.requests.length, 3);

    fake.misbehave('sora_garbled', { kind: 'wrong-shape' });
    await assert.rejects(client.getTask('sora_garbled'), BadResponse);
    assert.equal(fake.requests.length, 4);
  });

  it('retries connection resets and timeouts, then reports ApiUnreachable', async () => {
    const { client, clock } = makeClient({ maxAttempts: 3, requestTimeoutMs: 150 });
    fake.addTask({ id: 'sora_net' });
    fake.misbehave('sora_net', { kind: 'reset' }, { kind: 'hang' });
    assert.equal((await clock.stepWhile(client.getTask('sora_net'))).status, 'completed');
    assert.equal(fake.requests.length, 3);

    fake.misbehave('sora_net', { kind: 'reset' }, { kind: 'reset' }, { kind: 'reset' });
    const error = await clock.stepWhile(client.getTask('sora_net')).catch((e) => e);
    assert.ok(error instanceof ApiUnreachable, String(error));
    assert.equal(userMessage(error), 'The Sora API could not be reached; try again later.');
  });

  it('holds the rate cap under 200 concurrent callers', async () => {
    const clock = new ManualClock();
    const rateCap = new RequestRateCap(10, clock);
    const { client } = makeClient({ rateCap, clock, maxAttempts: 1 });
    fake.addTask({ id: 'sora_busy' });
    // Virtual time stands still while requests travel, so each arrival is stamped with the
    // instant the cap released it; the clock then jumps to the next release.
    const arrivals: number[] = [];
    let finished = false;
    const all = Promise.all(Array.from({ length: 200 }, () => client.getTask('sora_busy'))).finally(
      () => {
        finished = true;
      },
    );
    while (!finished) {
      await waitFor(() => fake.requests.length === rateCap.released, 'released requests');
      while (arrivals.length < fake.requests.length) arrivals.push(clock.now());
      const due = clock.nextDue;
      if (due === undefined) await new Promise((resolve) => setTimeout(resolve, 1));
      else await clock.runUntil(due);
    }
    const tasks = await all;
    while (arrivals.length < fake.requests.length) arrivals.push(clock.now());
    assert.equal(tasks.length, 200);
    assert.equal(arrivals.length, 200);
    let busiest = 0;
    for (const [i, start] of arrivals.entries()) {
      busiest = Math.max(busiest, arrivals.slice(i).filter((t) => t < start + 1000).length);
    }
    // 120 ms apart (the default 200 ms jitter margin on each second): at most 9 in a second,
    // under the cap of 10 even if some arrive late.
    assert.equal(busiest, 9);
    assert.equal((arrivals.at(-1) as number) - (arrivals[0] as number), 199 * 120);
  });
});
