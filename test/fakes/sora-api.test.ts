import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';
import { test } from 'node:test';
import { parseTask } from '../../src/sora/task.ts';
import type { FakeSoraApi, FakeSoraOptions } from './sora-api.ts';
import { startFakeSoraApi } from './sora-api.ts';

const AUTH = { authorization: 'Bearer test-key' };

async function start(t: TestContext, options?: FakeSoraOptions): Promise<FakeSoraApi> {
  const api = await startFakeSoraApi(options);
  t.after(() => api.close());
  return api;
}

/** A clock the test moves by hand. */
function manualClock(startMs = 1_700_000_000_000): {
  now: () => number;
  advance: (ms: number) => void;
} {
  let time = startMs;
  return { now: () => time, advance: (ms) => (time += ms) };
}

function getTask(api: FakeSoraApi, id: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`${api.baseUrl}/v1/result/${encodeURIComponent(id)}`, { headers: AUTH, ...init });
}

function createTask(api: FakeSoraApi, body: unknown, key = 'test-key'): Promise<Response> {
  return fetch(`${api.baseUrl}/v1/sora/videos`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

function createVeoTask(
  api: FakeSoraApi,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<Response> {
  return fetch(`${api.baseUrl}/v1/veo/videos`, {
    method: 'POST',
    headers: { ...AUTH, 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

test('listens on 127.0.0.1 under the default base path', async (t) => {
  const api = await start(t);
  assert.match(api.baseUrl, /^http:\/\/127\.0\.0\.1:\d+\/kyyReactApiServer$/);
});

test('a task moves from queued to processing to completed as the clock advances', async (t) => {
  const clock = manualClock();
  const api = await start(t, { now: clock.now });
  api.addTask({ id: 'sora_a', queuedMs: 1000, processingMs: 2000, actualDuration: 8 });

  const queued = await getTask(api, 'sora_a');
  assert.equal(queued.status, 200);
  assert.match(queued.headers.get('content-type') ?? '', /^application\/json/);
  const queuedBody = (await queued.json()) as Record<string, unknown>;
  assert.deepEqual(queuedBody, {
    id: 'sora_a',
    object: 'video.generation',
    created: Math.floor(clock.now() / 1000),
    model: 'openAiSora2Plus',
    status: 'queued',
    video_url: null,
    error: null,
  });

  clock.advance(999);
  assert.equal(api.statusOf('sora_a'), 'queued');
  clock.advance(1);
  assert.equal(parseTask(await (await getTask(api, 'sora_a')).json()).status, 'processing');

  clock.advance(2000);
  const done = parseTask(await (await getTask(api, 'sora_a')).json());
  assert.equal(done.status, 'completed');
  assert.equal(done.videoUrl, 'https://sora-videos.invalid/videos/sora_a.mp4');
  assert.equal(done.actualDuration, 8);
  assert.equal(done.error, undefined);
});

test('failed and other outcomes fill only their own fields, the rest null', async (t) => {
  const api = await start(t, { videoBaseUrl: 'https://cdn.example/' });
  api.addTask({ id: 'sora_fail', outcome: 'failed' });
  api.addTask({ id: 'sora_fail2', outcome: 'failed', error: 'Quota exceeded', created: 42 });
  api.addTask({ id: 'sora_gone', outcome: 'cancelled' });
  api.addTask({ id: 'sora_ok' });
  api.addTask({ id: 'sora_own', videoUrl: 'https://elsewhere.example/v.mp4' });

  const fail = (await (await getTask(api, 'sora_fail')).json()) as Record<string, unknown>;
  assert.equal(fail.status, 'failed');
  assert.equal(fail.error, 'Content policy violation');
  assert.equal(fail.video_url, null);
  assert.equal('actualDuration' in fail, false);

  const fail2 = parseTask(await (await getTask(api, 'sora_fail2')).json());
  assert.equal(fail2.error, 'Quota exceeded');
  assert.equal(fail2.created, 42);

  const gone = (await (await getTask(api, 'sora_gone')).json()) as Record<string, unknown>;
  assert.deepEqual(Object.keys(gone).sort(), [
    'created',
    'error',
    'id',
    'model',
    'object',
    'status',
    'video_url',
  ]);
  assert.equal(gone.status, 'cancelled');
  assert.equal(gone.error, null);
  assert.equal(gone.video_url, null);

  const ok = parseTask(await (await getTask(api, 'sora_ok')).json());
  assert.equal(ok.videoUrl, 'https://cdn.example/videos/sora_ok.mp4');
  assert.equal(ok.actualDuration, 4);
  const own = parseTask(await (await getTask(api, 'sora_own')).json());
  assert.equal(own.videoUrl, 'https://elsewhere.example/v.mp4');
  assert.equal(api.statusOf('nope'), undefined);
});

test('answers for each family as the service does: "video" object, nulls, decimals', async (t) => {
  const clock = manualClock();
  const api = await start(t, { now: clock.now, videoBaseUrl: 'https://cdn.example' });
  api.addTask({ id: 'vgen_fam', model: 'veo_3_1_fast', processingMs: 1000, actualDuration: 8 });
  api.addTask({ id: 'video_fam', model: 'seedance_2_0', actualDuration: 5.04 });
  api.addTask({ id: 'proj_fam', model: 'videos', outcome: 'failed', error: 'Too long' });
  api.addTask({ id: 'sora_fam', model: 'openAiSora2Pro', processingMs: 1000 });

  const text = async (id: string) => (await getTask(api, id)).text();
  const json = async (id: string) => JSON.parse(await text(id)) as Record<string, unknown>;
  assert.deepEqual(await json('vgen_fam'), {
    id: 'vgen_fam',
    object: 'video',
    created: Math.floor(clock.now() / 1000),
    model: 'veo_3_1_fast',
    status: 'processing',
    video_url: null,
    error: null,
  });
  assert.match(await text('video_fam'), /"actualDuration":5\.04/);
  const seedance = parseTask(await json('video_fam'));
  assert.equal(seedance.object, 'video');
  assert.equal(seedance.actualDuration, 5.04);
  assert.equal(seedance.videoUrl, 'https://cdn.example/videos/video_fam.mp4');
  const videos = await json('proj_fam');
  assert.equal(videos.object, 'video');
  assert.equal(videos.error, 'Too long');
  assert.equal(videos.video_url, null);
  const sora = await json('sora_fam');
  assert.equal(sora.object, 'video.generation', 'Sora answers keep their own object');
  assert.equal(sora.video_url, null);

  clock.advance(1000);
  const veo = parseTask(await json('vgen_fam'));
  assert.equal(veo.status, 'completed');
  assert.equal(veo.actualDuration, 8);
});

test('a cancelled task says why only when it was scripted to', async (t) => {
  const api = await start(t);
  api.addTask({ id: 'video_cancel', model: 'seedance_2_0_fast', outcome: 'cancelled' });
  api.addTask({ id: 'video_canceled', model: 'seedance_2_0', outcome: 'canceled', error: 'Quota' });
  const plain = (await (await getTask(api, 'video_cancel')).json()) as Record<string, unknown>;
  assert.equal(plain.status, 'cancelled');
  assert.equal(plain.object, 'video');
  assert.equal(plain.error, null);
  assert.equal(plain.video_url, null);
  const told = parseTask(await (await getTask(api, 'video_canceled')).json());
  assert.equal(told.status, 'canceled');
  assert.equal(told.error, 'Quota');
});

test('a wrong or missing key gets 401 on every API route, and is recorded', async (t) => {
  const api = await start(t, { apiKey: 'secret' });
  api.addTask({ id: 'sora_a' });

  const wrong = await getTask(api, 'sora_a', { headers: { authorization: 'Bearer nope' } });
  assert.equal(wrong.status, 401);
  assert.deepEqual(await wrong.json(), { error: { message: 'Invalid API key' } });

  const missing = await getTask(api, 'sora_a', { headers: {} });
  assert.equal(missing.status, 401);
  await missing.body?.cancel();

  const unknownTask = await getTask(api, 'sora_none', { headers: { authorization: 'Bearer x' } });
  assert.equal(unknownTask.status, 401, 'auth comes before the lookup');
  await unknownTask.body?.cancel();

  const post = await createTask(api, { model: 'openAiSora2Plus', prompt: 'cat' }, 'nope');
  assert.equal(post.status, 401);
  await post.body?.cancel();

  const right = await getTask(api, 'sora_a', { headers: { authorization: 'Bearer secret' } });
  assert.equal(right.status, 200);
  await right.body?.cancel();

  assert.deepEqual(
    api.requests.map((r) => [r.method, r.authorization]),
    [
      ['GET', 'Bearer nope'],
      ['GET', undefined],
      ['GET', 'Bearer x'],
      ['POST', 'Bearer nope'],
      ['GET', 'Bearer secret'],
    ],
  );
  assert.ok(api.requests.every((r) => typeof r.at === 'number' && r.at > 0));
});

test('unknown tasks, malformed ids and other paths get 404', async (t) => {
  const api = await start(t);
  const unknown = await getTask(api, 'sora_missing');
  assert.equal(unknown.status, 404);
  assert.deepEqual(await unknown.json(), { error: { message: 'Task not found' } });

  const malformed = await fetch(`${api.baseUrl}/v1/result/%E0%A4%A`, { headers: AUTH });
  assert.equal(malformed.status, 404);
  assert.deepEqual(await malformed.json(), { error: { message: 'Task not found' } });

  const origin = new URL(api.baseUrl).origin;
  for (const url of [
    `${origin}/v1/result/sora_missing`,
    `${api.baseUrl}/v1/result/`,
    `${api.baseUrl}/v1/result/a/b`,
    `${api.baseUrl}/v1/other`,
    `${api.baseUrl}/v1/sora/videos`,
  ]) {
    const res = await fetch(url, { headers: AUTH });
    assert.equal(res.status, 404, url);
    await res.body?.cancel();
  }
});

test('encoded ids are decoded for lookup and recorded raw', async (t) => {
  const api = await start(t, { basePath: '/deep/prefix/' });
  assert.match(api.baseUrl, /\/deep\/prefix$/);
  api.addTask({ id: 'odd id/ü' });
  const res = await getTask(api, 'odd id/ü');
  assert.equal(res.status, 200);
  assert.equal(((await res.json()) as { id: string }).id, 'odd id/ü');
  assert.equal(api.requests[0]?.path, '/deep/prefix/v1/result/odd%20id%2F%C3%BC');
});

test('POST creates a queued task that follows the create timeline', async (t) => {
  const clock = manualClock();
  const durations: number[] = [];
  const api = await start(t, {
    now: clock.now,
    createTimeline: (duration) => {
      durations.push(duration);
      return { queuedMs: 100, processingMs: duration * 100 };
    },
  });

  const body = { model: 'openAiSora2Pro', prompt: 'a cat', aspect_ratio: '16:9', seconds: 8 };
  const res = await createTask(api, body);
  assert.equal(res.status, 200);
  const created = parseTask(await res.json());
  assert.match(created.id, /^sora_[0-9a-f]+$/);
  assert.equal(created.status, 'queued');
  assert.equal(created.model, 'openAiSora2Pro');
  assert.equal(created.created, Math.floor(clock.now() / 1000));
  assert.deepEqual(durations, [8]);
  assert.equal(api.requests[0]?.body, JSON.stringify(body));

  clock.advance(100);
  assert.equal(api.statusOf(created.id), 'processing');
  clock.advance(800);
  const done = parseTask(await (await getTask(api, created.id)).json());
  assert.equal(done.status, 'completed');
  assert.equal(done.actualDuration, 8);

  // Defaults: duration 4, and every task gets a fresh id.
  const second = parseTask(
    await (await createTask(api, { model: 'openAiSora2Plus', prompt: 'x' })).json(),
  );
  assert.notEqual(second.id, created.id);
  assert.deepEqual(durations, [8, 4]);
});

test('POST validates its parameters like the real API', async (t) => {
  const api = await start(t);
  const base = { model: 'openAiSora2Plus', prompt: 'a cat' };
  const cases: Array<[unknown, RegExp]> = [
    ['{not json', /not valid JSON/],
    [[1, 2], /JSON object/],
    [{ prompt: 'a cat' }, /model is required/],
    [{ ...base, model: 'gpt' }, /model must be/],
    [{ model: 'openAiSora2Plus' }, /prompt is required/],
    [{ ...base, prompt: '   ' }, /prompt is required/],
    [{ ...base, size: '100x100' }, /size must be/],
    [{ ...base, aspect_ratio: '4:3' }, /aspect_ratio must be/],
    [{ ...base, size: '720x1280', aspect_ratio: '9:16' }, /either size or aspect_ratio/],
    [{ ...base, duration: 5 }, /duration must be/],
    [{ ...base, seconds: '4' }, /seconds must be/],
    [{ ...base, duration: 4, seconds: 4 }, /either duration or seconds/],
    [{ ...base, image_urls: 'https://a.example/x.png' }, /array of strings/],
    [{ ...base, image_urls: ['https://a/1.png', 'https://a/2.png'] }, /at most one image/],
  ];
  for (const [body, message] of cases) {
    const res = await createTask(api, body);
    assert.equal(res.status, 400, JSON.stringify(body));
    const json = (await res.json()) as { error: { message: string } };
    assert.match(json.error.message, message);
  }

  const ok = await createTask(api, {
    ...base,
    size: '1280x720',
    duration: 12,
    image_urls: ['https://a.example/1.png'],
  });
  assert.equal(ok.status, 200);
  await ok.body?.cancel();
});

test('POST /v1/veo/videos creates an 8 s VEO task of the model asked for', async (t) => {
  const clock = manualClock();
  const durations: number[] = [];
  const api = await start(t, {
    now: clock.now,
    createTimeline: (duration) => {
      durations.push(duration);
      return { queuedMs: 100, processingMs: 500 };
    },
  });
  const body = {
    model: 'veo_3_1_pro',
    prompt: 'a lighthouse',
    resolution: '4K',
    aspect_ratio: '9:16',
    input_reference: ['https://a.example/1.png', 'https://a.example/2.png'],
  };
  const res = await createVeoTask(api, body, { 'idempotency-key': 'key-1' });
  assert.equal(res.status, 200);
  const created = parseTask(await res.json());
  assert.match(created.id, /^vgen_[0-9a-f]+$/);
  assert.equal(created.model, 'veo_3_1_pro');
  assert.equal(created.object, 'video');
  assert.deepEqual(durations, [8]);
  assert.equal(api.requests[0]?.idempotencyKey, 'key-1');
  assert.deepEqual(api.creates, [
    { endpoint: '/v1/veo/videos', body, idempotencyKey: 'key-1', taskId: created.id },
  ]);

  clock.advance(600);
  const done = parseTask(await (await getTask(api, created.id)).json());
  assert.equal(done.status, 'completed');
  assert.equal(done.actualDuration, 8);

  // A refused create is recorded too, without a task; one without a key records none.
  const refused = await createVeoTask(api, { model: 'veo_3_1_fast' });
  assert.equal(refused.status, 400);
  await refused.body?.cancel();
  assert.deepEqual(api.creates[1], {
    endpoint: '/v1/veo/videos',
    body: { model: 'veo_3_1_fast' },
    idempotencyKey: undefined,
  });
});

test('POST /v1/veo/videos validates its parameters like the real API', async (t) => {
  const api = await start(t);
  const base = { model: 'veo_3_1_fast', prompt: 'a cat' };
  const img = 'https://a.example/1.png';
  const cases: Array<[unknown, RegExp]> = [
    ['{not json', /not valid JSON/],
    [{ prompt: 'a cat' }, /model is required/],
    [{ ...base, model: 'openAiSora2Plus' }, /model must be one of veo_3_1_fast/],
    [{ ...base, prompt: ' ' }, /prompt is required/],
    [{ ...base, resolution: '8K' }, /resolution must be 720p, 1080p or 4K/],
    [{ ...base, model: 'veo_3_1_fast_stable', resolution: '4K' }, /4K is not available/],
    [{ ...base, model: 'veo_3_1_pro_stable', resolution: '4K' }, /4K is not available/],
    [{ ...base, aspect_ratio: '1:1' }, /aspect_ratio must be/],
    [{ ...base, size: '1280x720' }, /size is not supported/],
    [{ ...base, seconds: 4 }, /always 8 seconds \(seconds\)/],
    [{ ...base, input_reference: img }, /input_reference must be an array/],
    [{ ...base, input_reference: [img, img, img, img] }, /at most 3 reference images/],
    [{ ...base, input_reference: [img, img], image_urls: [img, img] }, /at most 3/],
    [
      { ...base, model: 'veo_3_1_fast_stable', image_urls: [img] },
      /not supported on veo_3_1_fast_stable/,
    ],
    [{ ...base, input_reference: [img], first_frame: img }, /cannot be combined/],
    [{ ...base, first_frame: 42 }, /first_frame must be an image url/],
  ];
  for (const [body, message] of cases) {
    const res = await createVeoTask(api, body);
    assert.equal(res.status, 400, JSON.stringify(body));
    const json = (await res.json()) as { error: { message: string } };
    assert.match(json.error.message, message, JSON.stringify(body));
  }

  for (const ok of [
    { ...base, resolution: '1080p', aspect_ratio: '16:9', seconds: 8 },
    { ...base, model: 'veo_3_1_pro_stable', input_reference: [img, img, img] },
    { ...base, model: 'veo_3_1_fast_stable', first_frame: img, last_frame: img },
  ]) {
    const res = await createVeoTask(api, ok);
    assert.equal(res.status, 200, JSON.stringify(ok));
    await res.body?.cancel();
  }
  // Each family's body goes to its own endpoint.
  const crossed = await createTask(api, base);
  assert.equal(crossed.status, 400);
  await crossed.body?.cancel();
});

test('status misbehaviours send the given status, headers and body, then normal answers resume', async (t) => {
  const api = await start(t);
  api.addTask({ id: 'sora_a' });
  const date = new Date(Date.now() + 5000).toUTCString();
  api.misbehave(
    'sora_a',
    { kind: 'status', status: 429, retryAfter: '2' },
    { kind: 'status', status: 429, retryAfter: date },
    { kind: 'status', status: 429 },
    { kind: 'status', status: 503, body: 'down', contentType: 'text/plain' },
  );

  const first = await getTask(api, 'sora_a');
  assert.equal(first.status, 429);
  assert.equal(first.headers.get('retry-after'), '2');
  assert.deepEqual(await first.json(), { error: { message: 'Too Many Requests' } });

  const second = await getTask(api, 'sora_a');
  assert.equal(second.headers.get('retry-after'), date);
  await second.body?.cancel();

  const third = await getTask(api, 'sora_a');
  assert.equal(third.status, 429);
  assert.equal(third.headers.get('retry-after'), null);
  await third.body?.cancel();

  const fourth = await getTask(api, 'sora_a');
  assert.equal(fourth.status, 503);
  assert.equal(fourth.headers.get('content-type'), 'text/plain');
  assert.equal(await fourth.text(), 'down');

  assert.equal((await getTask(api, 'sora_a')).status, 200);
});

test('html, truncated and wrong-shape answers look as broken as promised', async (t) => {
  const api = await start(t);
  api.addTask({ id: 'sora_a' });
  api.misbehave(
    'sora_a',
    { kind: 'html' },
    { kind: 'html', status: 502 },
    { kind: 'truncated' },
    { kind: 'wrong-shape' },
  );

  const html = await getTask(api, 'sora_a');
  assert.equal(html.status, 200);
  assert.match(html.headers.get('content-type') ?? '', /^text\/html/);
  assert.match(await html.text(), /<html>/);

  const badGateway = await getTask(api, 'sora_a');
  assert.equal(badGateway.status, 502);
  assert.match(await badGateway.text(), /Bad Gateway/);

  const truncated = await getTask(api, 'sora_a');
  assert.equal(truncated.status, 200);
  assert.match(truncated.headers.get('content-type') ?? '', /^application\/json/);
  assert.equal(truncated.headers.get('content-length'), null);
  const text = await truncated.text();
  assert.ok(text.startsWith('{"id":"sora_a"'), text);
  assert.throws(() => JSON.parse(text), SyntaxError);

  const wrong = await getTask(api, 'sora_a');
  assert.equal(wrong.status, 200);
  assert.deepEqual(await wrong.json(), { data: null });

  assert.equal((await getTask(api, 'sora_a')).status, 200);
});

test('reset destroys the socket without an answer', async (t) => {
  const api = await start(t);
  api.addTask({ id: 'sora_a' });
  api.misbehave('sora_a', { kind: 'reset' });
  await assert.rejects(getTask(api, 'sora_a'), TypeError);
  assert.equal((await getTask(api, 'sora_a')).status, 200);
  assert.equal(api.requests.length, 2);
});

test('slow answers normally after a real delay', async (t) => {
  const api = await start(t);
  api.addTask({ id: 'sora_a' });
  api.misbehave('sora_a', { kind: 'slow', ms: 80 });
  const started = performance.now();
  const res = await getTask(api, 'sora_a');
  assert.ok(performance.now() - started >= 70);
  assert.equal(parseTask(await res.json()).status, 'completed');
});

test('hang never answers, so the client has to give up', async (t) => {
  const api = await start(t);
  api.addTask({ id: 'sora_a' });
  api.misbehave('sora_a', { kind: 'hang' });
  await assert.rejects(getTask(api, 'sora_a', { signal: AbortSignal.timeout(200) }), {
    name: 'TimeoutError',
  });
  assert.equal((await getTask(api, 'sora_a')).status, 200);
});

test('misbehaveAll applies to any request in order, before auth and per-task steps', async (t) => {
  const api = await start(t);
  api.addTask({ id: 'sora_a' });
  api.misbehave('sora_a', { kind: 'wrong-shape' });
  api.misbehaveAll(
    { kind: 'status', status: 429, retryAfter: '1' },
    { kind: 'status', status: 500 },
    { kind: 'slow', ms: 10 },
  );

  const first = await getTask(api, 'sora_unknown', { headers: { authorization: 'Bearer bad' } });
  assert.equal(first.status, 429);
  await first.body?.cancel();

  const second = await createTask(api, { model: 'openAiSora2Plus', prompt: 'x' });
  assert.equal(second.status, 500);
  await second.body?.cancel();

  // The delayed answer is the normal one, so it includes the task's own misbehaviour.
  const third = await getTask(api, 'sora_a');
  assert.deepEqual(await third.json(), { data: null });

  const fourth = await getTask(api, 'sora_a');
  assert.equal(parseTask(await fourth.json()).status, 'completed');
});

test('close() resolves promptly with requests hanging or waiting on a timer', async () => {
  const api = await startFakeSoraApi();
  api.addTask({ id: 'sora_a' });
  api.misbehave('sora_a', { kind: 'hang' }, { kind: 'slow', ms: 60_000 });
  // Both must fail once the server is gone; the assertions are attached before it closes.
  const hanging = assert.rejects(getTask(api, 'sora_a'), TypeError);
  const slow = assert.rejects(getTask(api, 'sora_a'), TypeError);
  // Both requests must have reached the server before it closes.
  while (api.requests.length < 2) await new Promise((resolve) => setTimeout(resolve, 5));

  const started = performance.now();
  await api.close();
  assert.ok(performance.now() - started < 500);
  await hanging;
  await slow;
  await api.close(); // closing twice is harmless
});
