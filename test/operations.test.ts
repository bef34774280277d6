/**
 * The bot as an operator runs it (`node src/main.ts` with Discord, against the fakes):
 * an orderly stop that lets a delivery in progress finish within the grace period,
 * readiness that follows the store, the intake and /metrics on its own port, and logs
 * that never hold a secret.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { FIXTURE } from './fakes/video-cdn.ts';
import { FakeWorld, type RunningBot, SECRETS } from './support/fake-world.ts';
import { freePort, redisServerInstalled, startPrivateRedis } from './support/redis.ts';
import { waitFor } from './support/wait-for.ts';

const LINK_SIGNATURE = 'X-Amz-Signature=signature-never-logged';
const GUILD = '300000000000000003';
let world: FakeWorld;

before(async () => {
  world = await FakeWorld.start();
});
after(() => world.close());

/** `npm start` with Discord on a store of its own (by name); resolves once it takes commands. */
function startBot(name: string, env: Record<string, string> = {}): Promise<RunningBot> {
  return world.startBot({ platforms: ['discord'], dataName: name, env });
}

/** A finished task whose video link is signed, as the API's are. */
function addFinishedTask(id: string): void {
  world.api.addTask({
    id,
    created: Math.floor(Date.now() / 1000) - 300,
    videoUrl: `${world.cdn.baseUrl}/videos/${id}.mp4?${LINK_SIGNATURE}`,
  });
}

/** `/sora-status id` from a Discord channel; returns the interaction id. */
function askStatus(id: string, channel: string): string {
  return world.discord.sendSlashCommand({
    name: 'sora-status',
    options: { id },
    channelId: channel,
    userId: '400000000000000005',
    guildId: GUILD,
  });
}

const clipMessages = (channel: string) =>
  world.discord.messagesIn(channel).filter((m) => m.attachments.length > 0);

/**
 * A bot (on the store named `name`) in the middle of posting a finished clip to `channel`:
 * the upload has reached Discord, whose answer is held back until released.
 */
async function botWithUploadUnderWay(
  name: string,
  channel: string,
  env: Record<string, string> = {},
): Promise<RunningBot> {
  const id = `sora_ops_${name}`;
  addFinishedTask(id);
  world.discord.holdNextUpload(channel);
  const bot = await startBot(name, env);
  askStatus(id, channel);
  await waitFor(() => world.discord.heldUploads() === 1, 'the upload under way', 10_000);
  return bot;
}

async function readyz(port: number): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`http://127.0.0.1:${port}/readyz`);
  return { status: response.status, body: await response.json() };
}

describe('operating the bot', () => {
  it('lets a delivery in progress finish on SIGTERM, refusing new commands meanwhile', async () => {
    const channel = '200000000000000021';
    const bot = await botWithUploadUnderWay('sigterm', channel);

    bot.process.child.kill('SIGTERM');
    await bot.process.waitForStdout(/"msg":"stopping"/);
    const stopping = await readyz(bot.port);
    assert.equal(stopping.status, 503);
    assert.deepEqual(stopping.body, {
      ready: false,
      checks: { accepting: 'stopping', store: 'ok', adapters: 'ok' },
    });
    const late = askStatus('sora_ops_late', channel);
    await waitFor(() => world.discord.replies.get(late)?.content !== undefined, 'the late answer');
    assert.match(
      world.discord.replies.get(late)?.content ?? '',
      /restarting; try again in a minute/,
    );
    assert.equal(bot.process.child.exitCode, null, 'still waiting for the upload');

    world.discord.releaseHeldUploads();
    assert.equal((await bot.process.exited).code, 0);
    assert.match(bot.process.stdout, /"outcome":"done","msg":"delivery finished"/);
    assert.match(bot.process.stdout, /"msg":"stopped"/);
    assert.doesNotMatch(bot.process.stdout, /grace period/);
    assert.equal(clipMessages(channel).length, 1);
    assert.deepEqual(clipMessages(channel)[0]?.attachments[0]?.bytes, FIXTURE);
    assert.equal(world.api.requests.filter((r) => r.path.endsWith('/sora_ops_late')).length, 0);

    // Recorded as done: the next start has nothing left to send.
    const again = await startBot('sigterm');
    again.process.child.kill('SIGTERM');
    assert.deepEqual(
      await again.process.exited,
      { code: 0, signal: null },
      again.process.stdout + again.process.stderr,
    );
    assert.match(again.process.stdout, /"resumed":0/);
    assert.equal(clipMessages(channel).length, 1);
  });

  it('stops after the grace period and leaves the delivery to the next start, posted once', async () => {
    const channel = '200000000000000022';
    const bot = await botWithUploadUnderWay('grace', channel, { SHUTDOWN_GRACE: '1s' });

    bot.process.child.kill('SIGTERM');
    assert.equal((await bot.process.exited).code, 0);
    assert.match(bot.process.stdout, /deliveries still running after the grace period/);

    const next = await startBot('grace');
    await waitFor(
      () => /"outcome":"done","msg":"delivery finished"/.test(next.process.stdout),
      `the delivery sent again\n${next.process.stdout}`,
      10_000,
    );
    next.process.child.kill('SIGTERM');
    const ended = await next.process.exited;
    assert.deepEqual(ended, { code: 0, signal: null }, next.process.stdout + next.process.stderr);
    // The message nonce makes Discord keep the first post only.
    assert.equal(clipMessages(channel).length, 1);
  });

  it('exits at once on a second signal, without waiting for the delivery', async () => {
    const channel = '200000000000000024';
    const bot = await botWithUploadUnderWay('twice', channel);

    bot.process.child.kill('SIGTERM');
    await bot.process.waitForStdout(/"msg":"stopping"/);
    bot.process.child.kill('SIGTERM');
    assert.equal((await bot.process.exited).code, 1);
    assert.match(bot.process.stdout, /"signal":"SIGTERM","msg":"second signal: exiting now"/);
    assert.doesNotMatch(bot.process.stdout, /"msg":"stopped"/);
    world.discord.releaseHeldUploads();
  });

  it('serves the intake and /metrics on its own port when Slack is not in HTTP mode', async () => {
    const id = 'sora_ops_intake';
    const channel = '200000000000000023';
    addFinishedTask(id);
    const bot = await startBot('intake', { INTAKE_TOKEN: SECRETS.intakeToken });
    const answer = await fetch(`${bot.url}/v1/watches`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${SECRETS.intakeToken}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ task_id: id, notify: [`discord:${channel}`] }),
    });
    assert.equal(answer.status, 202);
    await waitFor(() => clipMessages(channel).length === 1, 'the clip in the channel', 10_000);

    const metrics = await fetch(`${bot.url}/metrics`);
    assert.equal(metrics.status, 200);
    const text = await metrics.text();
    assert.match(text, /^sora_bot_polls_total\{outcome="completed"\} 1$/m);
    assert.match(
      text,
      /^sora_bot_deliveries_total\{platform="discord",kind="video",outcome="ok"\} 1$/m,
    );
    assert.match(text, new RegExp(`^sora_bot_downloaded_bytes_total ${FIXTURE.length}$`, 'm'));
    bot.process.child.kill('SIGTERM');
    assert.equal((await bot.process.exited).code, 0);
  });

  it('turns unready while its store is gone, and ready again when it is back', async (t) => {
    if (!redisServerInstalled()) {
      if (process.env.CI === 'true') throw new Error('redis-server is needed for this test');
      t.skip('redis-server is not installed');
      return;
    }
    const redisPort = await freePort();
    let redis = await startPrivateRedis(redisPort);
    t.after(() => redis.stop());
    const bot = await startBot('readyz', { STORE_URL: redis.url });
    assert.deepEqual(await readyz(bot.port), {
      status: 200,
      body: { ready: true, checks: { accepting: 'ok', store: 'ok', adapters: 'ok' } },
    });

    await redis.stop();
    const gone = await readyz(bot.port);
    assert.equal(gone.status, 503);
    assert.notEqual((gone.body as { checks: { store: string } }).checks.store, 'ok');
    const health = await fetch(`http://127.0.0.1:${bot.port}/healthz`);
    assert.equal(health.status, 200, 'alive, only not ready');

    redis = await startPrivateRedis(redisPort);
    // The store's client reconnects by itself.
    const deadline = Date.now() + 15_000;
    while ((await readyz(bot.port)).status !== 200) {
      assert.ok(Date.now() < deadline, 'ready again once the store is back');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    bot.process.child.kill('SIGTERM');
    assert.equal((await bot.process.exited).code, 0);
  });

  it('never writes a key, a token or a link signature to its logs', () => {
    assert.ok(world.bots.length >= 6);
    for (const bot of world.bots) {
      const logs = bot.stdout + bot.stderr;
      assert.match(logs, /"msg":"bot started"/);
      assert.doesNotMatch(logs, /never-logged/);
    }
  });
});
