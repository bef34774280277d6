/**
 * The intake API in the real bot process (`node src/main.ts`): in Slack's HTTP mode it shares
 * Slack's port with /slack/events (Bolt hosts it), and a task handed over by a pipeline, or by
 * `sora-status --notify`, is announced and delivered in a Slack and a Discord channel.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { request } from 'node:http';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { clipToken, galleryToken } from '../../src/web/clip-token.ts';
import type { FakeDiscord } from '../fakes/discord.ts';
import type { FakeSlackApi } from '../fakes/slack-api.ts';
import type { FakeSoraApi } from '../fakes/sora-api.ts';
import { FIXTURE } from '../fakes/video-cdn.ts';
import type { BotProcess } from '../support/bot-process.ts';
import { FakeWorld, SECRETS } from '../support/fake-world.ts';
import { sampleValue } from '../support/metric-sample.ts';
import { freePort } from '../support/redis.ts';
import { runCli } from '../support/run-cli.ts';
import { waitFor } from '../support/wait-for.ts';

const INTAKE_TOKEN: string = SECRETS.intakeToken;
const CLIP_LINK_SECRET = 'clip-link-secret-for-the-process-test-0123';
const DISCORD_CHANNEL = '200000000000000077';
let world: FakeWorld;
let slack: FakeSlackApi;
let discord: FakeDiscord;
let api: FakeSoraApi;
let port: number;
let bot: BotProcess;
/** The fake API's clock: tasks move on only when the test says so. */
let timeline = 0;

before(async () => {
  world = await FakeWorld.start({ now: () => timeline });
  ({ slack, discord, api } = world);
  // Slack in HTTP mode: Bolt's receiver hosts the intake beside /slack/events.
  ({ process: bot, port } = await world.startBot({
    platforms: ['slack', 'discord'],
    env: { INTAKE_TOKEN, PUBLIC_URL: 'https://clips.example.com', CLIP_LINK_SECRET },
  }));
});
after(() => world.close());

function post(body: string | Buffer, token: string | null = INTAKE_TOKEN) {
  return new Promise<{ status: number; body: Record<string, unknown> }>((resolve, reject) => {
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(body)),
    };
    if (token !== null) headers.authorization = `Bearer ${token}`;
    const req = request(
      `http://127.0.0.1:${port}/v1/watches`,
      { method: 'POST', headers },
      (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (chunk: string) => {
          text += chunk;
        });
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : {} }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('the intake API in the bot process, on Slack’s port', () => {
  it('announces a task handed over by a pipeline in Slack and Discord, and delivers the clip to both', async () => {
    const id = 'sora_intake_process';
    api.addTask({ id, created: Math.floor(Date.now() / 1000) - 900, queuedMs: 1000 });
    const answer = await post(
      JSON.stringify({
        task_id: id,
        notify: ['slack:C0PIPE', `discord:${DISCORD_CHANNEL}`],
        requested_by: 'ci-pipeline',
        prompt: 'a lighthouse in fog',
      }),
    );
    assert.equal(answer.status, 202, JSON.stringify(answer.body));
    assert.deepEqual(answer.body.notify, [
      { channel: 'slack:C0PIPE', delivery: 'pending' },
      { channel: `discord:${DISCORD_CHANNEL}`, delivery: 'pending' },
    ]);
    const card = slack.messages.find((m) => m.channel === 'C0PIPE');
    assert.match(JSON.stringify(card?.blocks), /Requested by ci-pipeline/);
    assert.equal(discord.messagesIn(DISCORD_CHANNEL).length, 1, 'the Discord status message');

    const view = await fetch(`http://127.0.0.1:${port}/v1/watches/${id}`, {
      headers: { authorization: `Bearer ${INTAKE_TOKEN}` },
    });
    assert.equal(view.status, 200);
    assert.equal(((await view.json()) as { status: string }).status, 'queued');

    timeline = 2000; // the task completes
    await waitFor(
      () =>
        slack.files.some((f) => f.channel === 'C0PIPE') &&
        discord.messagesIn(DISCORD_CHANNEL).some((m) => m.attachments.length > 0),
      `both deliveries\n${bot.stdout}`,
      20_000,
    );
    const file = slack.files.find((f) => f.channel === 'C0PIPE');
    assert.deepEqual(file?.bytes, FIXTURE);
    assert.match(file?.initialComment ?? '', /is ready .*Requested by ci-pipeline\./);
    assert.doesNotMatch(file?.initialComment ?? '', /<@/, 'no mention for a pipeline');
    const clip = discord.messagesIn(DISCORD_CHANNEL).find((m) => m.attachments.length > 0);
    assert.deepEqual(clip?.attachments[0]?.bytes, FIXTURE);
    assert.match(clip?.content ?? '', /Requested by ci-pipeline\./);
    assert.doesNotMatch(clip?.content ?? '', /<@/);

    // The clip's messages carry its share page; once delivered everywhere, the page plays it.
    const token = clipToken(id, CLIP_LINK_SECRET);
    const shared = `https://clips.example.com/clips/${token}`;
    assert.ok(file?.initialComment?.includes(`<${shared}|Watch and share>`), file?.initialComment);
    assert.ok(clip?.content.includes(`Watch and share: <${shared}>`), clip?.content);
    const page = `http://127.0.0.1:${port}/clips/${token}`;
    await waitFor(
      () => existsSync(path.join(world.dataDir, 'default', 'library', `${id}.json`)),
      'the clip kept in the library',
    );
    const html = await fetch(page);
    assert.equal(html.status, 200);
    const text = await html.text();
    assert.match(text, /a lighthouse in fog/);
    assert.match(
      text,
      new RegExp(
        `<meta property="og:video" content="https://clips\\.example\\.com/clips/${token}\\.mp4"`,
      ),
    );
    const part = await fetch(`${page}.mp4`, { headers: { range: 'bytes=0-9' } });
    assert.equal(part.status, 206);
    assert.deepEqual(Buffer.from(await part.arrayBuffer()), FIXTURE.subarray(0, 10));
    assert.equal((await fetch(`${page}x`)).status, 404, 'a tampered token');
    const gallery = await fetch(
      `http://127.0.0.1:${port}/gallery/${galleryToken('slack:C0PIPE', CLIP_LINK_SECRET)}`,
    );
    assert.equal(gallery.status, 200);
    assert.ok(
      (await gallery.text()).includes(`<a href="../clips/${token}">`),
      'the channel’s gallery',
    );
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    const served = (kind: string, status: string) =>
      sampleValue(metrics, 'sora_bot_share_requests_total', { kind, status });
    assert.deepEqual(
      [
        served('page', '200'),
        served('video', '206'),
        served('page', '404'),
        served('gallery', '200'),
      ],
      [1, 1, 1, 1],
    );
  });

  it('answers 400, 401 and 413 itself, and keeps running', async () => {
    const bad = await post(JSON.stringify({ task_id: 'sora_x', notify: ['teams:42'] }));
    assert.equal(bad.status, 400);
    assert.match(String(bad.body.error), /"teams:42" names no known platform/);
    const unauthorised = await post(JSON.stringify({ task_id: 'sora_x' }), 'not-the-token');
    assert.equal(unauthorised.status, 401);
    const big = await post(JSON.stringify({ task_id: 'sora_x', prompt: 'x'.repeat(40_000) }));
    assert.equal(big.status, 413);
    assert.equal((await fetch(`http://127.0.0.1:${port}/healthz`)).status, 200);
    assert.doesNotMatch(world.logs(), /never-logged/, 'no token or key is ever logged');
  });
});

describe('sora-status --notify', () => {
  const cliEnv = (token = INTAKE_TOKEN) => ({
    INTAKE_TOKEN: token,
    INTAKE_URL: `http://127.0.0.1:${port}`,
  });

  it('hands a task to the running bot without a Sora key and says where it will be announced', async () => {
    api.addTask({ id: 'sora_intake_cli', created: Math.floor(timeline / 1000), queuedMs: 600_000 });
    const run = await runCli(
      ['sora_intake_cli', '--notify', 'slack:C0CLI', '--notify', `discord:${DISCORD_CHANNEL}`],
      cliEnv(),
    );
    assert.equal(run.code, 0, run.stderr);
    assert.equal(
      run.stdout,
      `Watching sora_intake_cli (queued): it will be announced in slack:C0CLI and discord:${DISCORD_CHANNEL}.\n`,
    );
    await waitFor(() => slack.messages.some((m) => m.channel === 'C0CLI'), 'the Slack card');
    assert.match(
      JSON.stringify(slack.messages.find((m) => m.channel === 'C0CLI')?.blocks),
      /Requested by sora-status \(/,
    );
  });

  it('exits 4 when the bot refuses the token, 3 for an error answer or no bot, 2 for bad usage', async () => {
    const refused = await runCli(
      ['sora_intake_cli', '--notify', 'slack:C0CLI'],
      cliEnv('wrong-token'),
    );
    assert.equal(refused.code, 4, refused.stderr);
    assert.match(refused.stderr, /^sora-status: the bot refused the intake token \(401\)/);

    const unknown = await runCli(['sora_intake_nope', '--notify', 'slack:C0CLI'], cliEnv());
    assert.equal(unknown.code, 3, unknown.stderr);
    assert.match(unknown.stderr, /the bot answered HTTP 404: No task with id sora_intake_nope/);

    const noBot = await runCli(['sora_intake_cli', '--notify', 'slack:C0CLI'], {
      INTAKE_TOKEN,
      INTAKE_URL: `http://127.0.0.1:${await freePort()}`,
    });
    assert.equal(noBot.code, 3, noBot.stderr);
    assert.match(
      noBot.stderr,
      /could not reach the bot at http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\)/,
    );

    const badChannel = await runCli(['sora_intake_cli', '--notify', 'slack:#general'], cliEnv());
    assert.equal(badChannel.code, 2);
    assert.match(badChannel.stderr, /--notify "slack:#general" is not a channel/);
    const noToken = await runCli(['sora_intake_cli', '--notify', 'slack:C0CLI'], {});
    assert.equal(noToken.code, 2);
    assert.match(noToken.stderr, /INTAKE_TOKEN/);
    const withWatch = await runCli(
      ['sora_intake_cli', '--notify', 'slack:C0CLI', '--watch'],
      cliEnv(),
    );
    assert.equal(withWatch.code, 2);
  });
});
