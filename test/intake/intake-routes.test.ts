/**
 * The intake API in process: its routes on our own HTTP server, a real Tracker (real Sora
 * client against the fake Sora API), and recording adapters standing in for Slack and Discord.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startHttpServer, stopHttpServer } from '../../src/http/server.ts';
import { intakeRoutes } from '../../src/intake/routes.ts';
import { silentLogger } from '../../src/log.ts';
import { MemoryWatchStore } from '../../src/store/memory-watch-store.ts';
import { type FakeSoraApi, startFakeSoraApi } from '../fakes/sora-api.ts';
import { ManualClock } from '../support/manual-clock.ts';
import { RecordingAdapter } from '../support/recording-adapter.ts';
import { createTestTracker, type TestTracker } from '../support/test-tracker.ts';

const API_KEY = 'intake-test-key';
const TOKEN = 'intake-token-0123456789abcdef';
const clock = new ManualClock();
const slack = new RecordingAdapter('slack');
const discord = new RecordingAdapter('discord');
let api: FakeSoraApi;
let wired: TestTracker;
let workDir: string;
/** Both platforms, DEFAULT_NOTIFY set. */
let server: Server;
/** Slack only, no DEFAULT_NOTIFY; stops accepting when told. */
let slackOnly: Server;
let slackOnlyAccepting = true;

before(async () => {
  api = await startFakeSoraApi({ apiKey: API_KEY, now: () => clock.now() });
  workDir = await mkdtemp(path.join(tmpdir(), 'sora-intake-'));
  wired = createTestTracker({
    api: { baseUrl: api.baseUrl, apiKey: API_KEY },
    clock,
    store: new MemoryWatchStore(),
    adapters: [slack, discord],
    options: { downloadsDir: path.join(workDir, 'downloads') },
  });
  await wired.tracker.start();
  const common = { token: TOKEN, service: wired.tracker, logger: silentLogger };
  server = await startHttpServer(
    0,
    intakeRoutes({
      ...common,
      platforms: ['slack', 'discord'],
      defaultNotify: ['slack:C0DEFAULT'],
    }),
  );
  slackOnly = await startHttpServer(
    0,
    intakeRoutes({
      ...common,
      platforms: ['slack'],
      defaultNotify: [],
      accepting: () => slackOnlyAccepting,
    }),
  );
});
after(async () => {
  await Promise.all([stopHttpServer(server), stopHttpServer(slackOnly)]);
  await wired.close();
  await api.close();
  await rm(workDir, { recursive: true, force: true });
});

const baseOf = (s: Server) => `http://127.0.0.1:${(s.address() as AddressInfo).port}`;

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Record<string, unknown>;
}

/** A request with node:http, so a body can be sent with or without a length, in chunks. */
function send(
  method: string,
  urlPath: string,
  options: { body?: string | Buffer; token?: string | null; chunked?: boolean; to?: Server } = {},
): Promise<Answer> {
  const url = new URL(urlPath, baseOf(options.to ?? server));
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (options.token !== null) headers.authorization = `Bearer ${options.token ?? TOKEN}`;
  const body = options.body === undefined ? undefined : Buffer.from(options.body);
  if (body && !options.chunked) headers['content-length'] = String(body.length);
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (chunk: string) => {
        text += chunk;
      });
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: res.headers['content-type'] === 'application/json' ? JSON.parse(text) : {},
        }),
      );
    });
    req.on('error', reject);
    if (body && options.chunked) {
      for (let offset = 0; offset < body.length; offset += 1024) {
        req.write(body.subarray(offset, offset + 1024));
      }
    } else if (body) {
      req.write(body);
    }
    req.end();
  });
}

const post = (body: unknown, options: Parameters<typeof send>[2] = {}) =>
  send('POST', '/v1/watches', { body: JSON.stringify(body), ...options });

describe('POST /v1/watches', () => {
  it('answers 202 with the watch, showing a card in each channel once however often it is sent', async () => {
    api.addTask({ id: 'sora_intake_a', queuedMs: 60_000, model: 'openAiSora2Pro' });
    const body = {
      task_id: 'sora_intake_a',
      notify: ['slack:C0INTAKE', 'discord:123456789012345678'],
      requested_by: 'ci-pipeline',
      prompt: 'a heron at dawn',
    };
    const first = await post(body);
    assert.equal(first.status, 202, JSON.stringify(first.body));
    assert.equal(first.body.task_id, 'sora_intake_a');
    assert.equal(first.body.status, 'queued');
    assert.equal(first.body.model, 'openAiSora2Pro');
    assert.equal(first.body.phase, 'polling');
    assert.deepEqual(first.body.notify, [
      { channel: 'slack:C0INTAKE', delivery: 'pending' },
      { channel: 'discord:123456789012345678', delivery: 'pending' },
    ]);
    assert.equal(first.body.watching_since, new Date(clock.now()).toISOString());
    assert.match(String(first.body.created_at), /^\d{4}-\d\d-\d\dT/);

    const again = await post(body);
    assert.equal(again.status, 202);
    assert.deepEqual(again.body.notify, first.body.notify);
    for (const [adapter, target] of [
      [slack, 'slack:C0INTAKE'],
      [discord, 'discord:123456789012345678'],
    ] as const) {
      const shown = adapter.shownTo(target);
      assert.equal(shown.filter((s) => s.posted).length, 1, `one status message in ${target}`);
      assert.deepEqual(shown.at(-1)?.view.requesters, [], 'nobody to mention');
      assert.deepEqual(shown.at(-1)?.view.requestedBy, ['ci-pipeline']);
    }
    const found = await wired.tracker.find('sora_intake_a');
    assert.equal(found?.watch.subscriptions.length, 2);
    assert.deepEqual(found?.watch.subscriptions[0]?.requestedBy, ['ci-pipeline']);
    assert.equal(found?.watch.prompt, 'a heron at dawn');
    const polls = api.requests.filter((r) => r.path.endsWith('/v1/result/sora_intake_a'));
    assert.equal(polls.length, 1, 'the repeat asked the API nothing');
  });

  it('uses DEFAULT_NOTIFY when the request names no channel', async () => {
    api.addTask({ id: 'sora_intake_default', queuedMs: 60_000 });
    const answer = await post({ task_id: 'sora_intake_default' });
    assert.equal(answer.status, 202);
    assert.deepEqual(answer.body.notify, [{ channel: 'slack:C0DEFAULT', delivery: 'pending' }]);
    assert.equal(slack.shownTo('slack:C0DEFAULT').length, 1);
  });

  it('answers 400 with a sentence for each kind of bad input, and watches nothing', async () => {
    const cases: [unknown, RegExp, Server?][] = [
      ['{not json', /not JSON/],
      [[1, 2], /JSON object/],
      [{ notify: ['slack:C0123'] }, /"task_id" is required/],
      [{ task_id: '../etc/passwd', notify: ['slack:C0123'] }, /is not a valid task id/],
      [{ task_id: 'sora_x', notify: 'slack:C0123' }, /"notify" must be a list of channels/],
      [{ task_id: 'sora_x', notify: ['slack:C0123', 42] }, /"notify" must be a list/],
      [{ task_id: 'sora_x', notify: [] }, /1 to 10 channels/],
      [{ task_id: 'sora_x', notify: ['teams:42'] }, /"teams:42" names no known platform/],
      [{ task_id: 'sora_x', notify: ['slack:#general'] }, /"slack:#general" is not a channel/],
      [{ task_id: 'sora_x', notify: ['discord:abc'] }, /"discord:abc" is not a channel/],
      [
        { task_id: 'sora_x', notify: ['discord:123456789'] },
        /on discord, which this bot does not serve \(it serves slack\)/,
        slackOnly,
      ],
      [{ task_id: 'sora_x' }, /Name the channels to notify.*no DEFAULT_NOTIFY/, slackOnly],
      [{ task_id: 'sora_x', requested_by: 'x'.repeat(81) }, /"requested_by" must be a name/],
      [{ task_id: 'sora_x', requested_by: '<@U123>' }, /"requested_by" must be a name/],
      [{ task_id: 'sora_x', requested_by: 7 }, /"requested_by" must be a name/],
      [{ task_id: 'sora_x', prompt: ['a'] }, /"prompt" must be a string/],
    ];
    const before = api.requests.length;
    for (const [body, message, to] of cases) {
      const text = typeof body === 'string' ? body : JSON.stringify(body);
      const answer = await send('POST', '/v1/watches', { body: text, ...(to ? { to } : {}) });
      assert.equal(answer.status, 400, text);
      assert.match(String(answer.body.error), message, text);
    }
    assert.equal(api.requests.length, before, 'the API was not asked');
  });

  it('answers 404 for a task the API does not know, keeping nothing', async () => {
    const answer = await post({ task_id: 'sora_intake_unknown', notify: ['slack:C0NONE'] });
    assert.equal(answer.status, 404);
    assert.match(String(answer.body.error), /No task with id sora_intake_unknown was found/);
    assert.equal(slack.shownTo('slack:C0NONE').length, 0);
    assert.equal((await send('GET', '/v1/watches/sora_intake_unknown')).status, 404);
  });

  it('answers 401 without the token or with a wrong one, before reading anything', async () => {
    const body = { task_id: 'sora_intake_a', notify: ['slack:C0AUTH'] };
    for (const token of [null, 'wrong', `${TOKEN}x`, TOKEN.slice(0, -1)]) {
      const answer = await post(body, { token });
      assert.equal(answer.status, 401, String(token));
      assert.equal(answer.headers['www-authenticate'], 'Bearer');
      assert.doesNotMatch(JSON.stringify(answer.body), new RegExp(TOKEN));
    }
    assert.equal((await send('GET', '/v1/watches/sora_intake_a', { token: null })).status, 401);
    assert.equal(slack.shownTo('slack:C0AUTH').length, 0);
  });

  it('answers 413 for a body over 16 KiB, with or without a declared length', async () => {
    const big = JSON.stringify({
      task_id: 'sora_x',
      notify: ['slack:C0BIG'],
      prompt: 'x'.repeat(20_000),
    });
    const declared = await send('POST', '/v1/watches', { body: big });
    assert.equal(declared.status, 413);
    assert.match(String(declared.body.error), /larger than 16384 bytes/);
    const streamed = await send('POST', '/v1/watches', { body: big, chunked: true });
    assert.equal(streamed.status, 413);
    assert.equal(slack.shownTo('slack:C0BIG').length, 0);
  });

  it('answers 503 while the bot stops, watching nothing', async (t) => {
    slackOnlyAccepting = false;
    t.after(() => {
      slackOnlyAccepting = true;
    });
    const answer = await post(
      { task_id: 'sora_intake_a', notify: ['slack:C0STOPPING'] },
      { to: slackOnly },
    );
    assert.equal(answer.status, 503);
    assert.equal(answer.headers['retry-after'], '30');
    assert.match(String(answer.body.error), /restarting; try again in a minute/);
    assert.equal(slack.shownTo('slack:C0STOPPING').length, 0);
  });

  it('answers 405 for other methods and 404 for other paths', async () => {
    const list = await send('GET', '/v1/watches');
    assert.equal(list.status, 405);
    assert.equal(list.headers.allow, 'POST');
    const remove = await send('DELETE', '/v1/watches/sora_intake_a');
    assert.equal(remove.status, 405);
    assert.equal(remove.headers.allow, 'GET');
    assert.equal((await send('GET', '/v1/watch')).status, 404);
  });
});

describe('GET /v1/watches/{task_id}', () => {
  it('shows where a watched task stands, 404 when it is not watched, 400 for a bad id', async () => {
    api.addTask({ id: 'sora_intake_get', queuedMs: 0, processingMs: 600_000 });
    assert.equal((await post({ task_id: 'sora_intake_get', notify: ['slack:C0GET'] })).status, 202);
    const view = await send('GET', '/v1/watches/sora_intake_get');
    assert.equal(view.status, 200);
    assert.equal(view.body.task_id, 'sora_intake_get');
    assert.equal(view.body.status, 'processing');
    assert.deepEqual(view.body.notify, [{ channel: 'slack:C0GET', delivery: 'pending' }]);
    // Just started processing, with no clip length: the middle of the documented range.
    assert.deepEqual(view.body.estimate, { remaining_seconds: 185, progress: 0 });
    assert.equal(view.body.created_at, new Date(clock.now()).toISOString());
    const missing = await send('GET', '/v1/watches/sora_never_watched');
    assert.equal(missing.status, 404);
    assert.match(String(missing.body.error), /sora_never_watched is not being watched/);
    const bad = await send('GET', '/v1/watches/bad%20id%3F');
    assert.equal(bad.status, 400);
    assert.match(String(bad.body.error), /is not a valid task id/);
  });
});

describe('the watch view of a task of any family', () => {
  it('answers a task sent again after its clip was posted from the record, re-posting only on request', async () => {
    api.addTask({ id: 'sora_intake_done', queuedMs: 1_000, processingMs: 20_000 });
    const target = 'slack:C0DONE';
    assert.equal((await post({ task_id: 'sora_intake_done', notify: [target] })).status, 202);
    await clock.stepUntil(() => slack.delivered.some((d) => d.target === target), 'the clip');
    for (let i = 0; i < 50; i += 1) {
      if ((await wired.tracker.find('sora_intake_done'))?.watch.phase === 'finished') break;
      await clock.step();
    }
    const posted = () => slack.delivered.filter((d) => d.target === target).length;
    assert.equal(posted(), 1);

    const again = await post({ task_id: 'sora_intake_done', notify: [target] });
    assert.equal(again.status, 200, JSON.stringify(again.body));
    assert.deepEqual(again.body.delivered_before, [target]);
    assert.equal(again.body.status, 'completed');
    assert.deepEqual(again.body.notify, [{ channel: target, delivery: 'done' }]);
    assert.equal(slack.shownTo(target).filter((s) => s.posted).length, 1, 'no second card');

    // A new channel in the same request starts a watch for the places that lack the clip.
    const wider = await post({ task_id: 'sora_intake_done', notify: [target, 'slack:C0NEW'] });
    assert.equal(wider.status, 202);
    assert.deepEqual(wider.body.delivered_before, [target]);

    assert.equal((await post({ task_id: 'x', repost: 'yes' })).status, 400);
  });

  it('keeps the model id and adds its name', async () => {
    api.addTask({ id: 'vgen_intake_veo', model: 'veo_3_1_fast', queuedMs: 600_000 });
    const answer = await post({ task_id: 'vgen_intake_veo', notify: ['slack:C0VEO'] });
    assert.equal(answer.status, 202, JSON.stringify(answer.body));
    assert.equal(answer.body.model, 'veo_3_1_fast');
    assert.equal(answer.body.model_name, 'VEO 3.1 Fast');
    assert.equal(slack.shownTo('slack:C0VEO').at(-1)?.view.modelName, 'VEO 3.1 Fast');
  });

  it('shows a cancelled task as "cancelled" with its sentence, whichever the spelling', async () => {
    api.addTask({
      id: 'video_intake_cancel',
      model: 'seedance_2_0',
      processingMs: 30_000,
      outcome: 'canceled',
    });
    const target = 'slack:C0CANCEL';
    assert.equal((await post({ task_id: 'video_intake_cancel', notify: [target] })).status, 202);
    await clock.stepUntil(
      () => slack.delivered.some((d) => d.target === target),
      'the cancellation delivered',
    );
    const view = await send('GET', '/v1/watches/video_intake_cancel');
    assert.equal(view.status, 200);
    assert.equal(view.body.status, 'cancelled');
    assert.equal(view.body.error, 'The task was cancelled at the service.');
    assert.equal(view.body.model_name, 'Seedance 2.0');
    assert.equal(view.body.estimate, undefined);
    const delivered = slack.delivered.find((d) => d.target === target);
    assert.equal(delivered?.kind, 'failure');
    assert.equal(delivered?.failure?.reason, 'The task was cancelled at the service.');
  });
});
