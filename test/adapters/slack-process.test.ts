/** `npm start` with SLACK_* set, as a child process, against the fake Slack Web API. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sendSlashCommand } from '../fakes/slack-api.ts';
import { FIXTURE } from '../fakes/video-cdn.ts';
import { FakeWorld, SECRETS } from '../support/fake-world.ts';
import { freePort } from '../support/redis.ts';
import { waitFor } from '../support/wait-for.ts';

let world: FakeWorld;
/** The fake Sora API's clock: statuses move only when a test moves it, however slow a start. */
let timeline = Date.now();

before(async () => {
  world = await FakeWorld.start({ now: () => timeline });
});
after(() => world.close());

/** A signed slash command to the bot's Slack endpoint. */
function command(port: number, text: string, channelId: string, userId: string) {
  return sendSlashCommand({
    url: `http://127.0.0.1:${port}/slack/events`,
    signingSecret: SECRETS.slackSigningSecret,
    command: '/sora-status',
    text,
    channelId,
    userId,
    responseUrl: world.slack.responseUrl(),
  });
}

describe('Slack in a real process', () => {
  it('answers a signed /sora-status on PORT and uploads the clip into the channel', async () => {
    const { slack } = world;
    world.api.addTask({ id: 'sora_slack_main', created: Math.floor(Date.now() / 1000) - 300 });
    const { process: bot, port } = await world.startBot({ platforms: ['slack'] });
    // The probes share Slack's port.
    assert.equal((await fetch(`http://127.0.0.1:${port}/healthz`)).status, 200);
    assert.equal((await fetch(`http://127.0.0.1:${port}/readyz`)).status, 200);
    const answer = await command(port, 'sora_slack_main', 'C0123', 'U0456');
    assert.equal(answer.status, 200);
    const shared = () => slack.files.find((file) => file.channel === 'C0123');
    await waitFor(
      () => shared() !== undefined,
      `the shared upload\n${bot.stdout}${bot.stderr}`,
      15_000,
    );
    assert.deepEqual(shared()?.bytes, FIXTURE);
    assert.match(shared()?.initialComment ?? '', /<@U0456>/);
    const forged = await sendSlashCommand({
      url: `http://127.0.0.1:${port}/slack/events`,
      signingSecret: 'not-the-secret',
      command: '/sora-status',
      text: 'sora_slack_main',
      channelId: 'C0123',
      userId: 'U0456',
      responseUrl: slack.responseUrl(),
    });
    assert.equal(forged.status, 401);
    assert.doesNotMatch(bot.stdout + bot.stderr, /never-logged/);
    bot.child.kill('SIGTERM');
    assert.equal((await bot.exited).code, 0);
  });

  it('carries on editing the same card after being killed and started again', async () => {
    const { slack } = world;
    const port = await freePort();
    const id = 'sora_slack_crash';
    const channel = 'C0CRASH';
    // Created a while ago and still queued: the bot asks again within seconds.
    world.api.addTask({
      id,
      created: Math.floor(Date.now() / 1000) - 900,
      queuedMs: 1_000,
      processingMs: 1_000,
    });
    const { process: first } = await world.startBot({
      platforms: ['slack'],
      dataName: 'restart',
      port,
    });
    const answer = await command(port, id, channel, 'U0789');
    assert.equal(answer.status, 200);
    // The answer comes once the card is posted and its ts saved.
    await waitFor(
      () => slack.responses.some((r) => String(r.body.text).includes(id)),
      `the answer\n${first.stdout}${first.stderr}`,
      10_000,
    );
    const cards = () => slack.messages.filter((m) => m.channel === channel);
    assert.equal(cards().length, 1);
    const [card] = cards();
    assert.ok(card);
    assert.match(JSON.stringify(card.blocks), /:hourglass_flowing_sand:/);
    await first.kill('SIGKILL');
    assert.equal((await first.exited).signal, 'SIGKILL');

    const { process: second } = await world.startBot({
      platforms: ['slack'],
      dataName: 'restart',
      port,
    });
    timeline += 2_000;
    const shared = () => slack.files.filter((file) => file.channel === channel);
    await waitFor(
      () => shared().length > 0,
      `the upload after the restart\n${second.stdout}${second.stderr}`,
      12_000,
    );
    assert.equal(cards().length, 1, 'the same card, no second one');
    assert.equal(card.edits.at(-1)?.text, `${id}: completed`);
    const updates = slack.callsOf('chat.update').filter((c) => c.params.channel === channel);
    assert.ok(updates.length > 0);
    assert.ok(updates.every((c) => c.params.ts === card.ts));
    assert.deepEqual(shared()[0]?.bytes, FIXTURE);
    assert.match(shared()[0]?.initialComment ?? '', /<@U0789>/);
    second.child.kill('SIGTERM');
    assert.equal((await second.exited).code, 0);
    assert.equal(shared().length, 1, 'uploaded once');
    const completions = slack
      .callsOf('files.completeUploadExternal')
      .filter((c) => c.params.channel_id === channel);
    assert.equal(completions.length, 1);
  });
});
