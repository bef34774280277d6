/**
 * One bot process serving Slack and Discord at once, on one tracker: a task watched from a
 * Slack channel and a Discord channel is polled as one stream, downloaded once, and
 * delivered to both.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sendSlashCommand } from './fakes/slack-api.ts';
import { FIXTURE } from './fakes/video-cdn.ts';
import { FakeWorld, SECRETS } from './support/fake-world.ts';
import { waitFor } from './support/wait-for.ts';

const DISCORD_CHANNEL = '200000000000000002';
let world: FakeWorld;
/** The fake API's clock: the task moves on only when the test says so. */
let timeline = 0;

before(async () => {
  world = await FakeWorld.start({ now: () => timeline });
});
after(() => world.close());

describe('Slack and Discord in one process', () => {
  it('polls a task watched from both once, downloads it once and delivers it to both', async () => {
    const id = 'sora_both';
    const { slack, discord, api, cdn } = world;
    api.addTask({ id, created: Math.floor(Date.now() / 1000) - 900, queuedMs: 1000 });
    const { process: bot, port } = await world.startBot({ platforms: ['slack', 'discord'] });
    await bot.waitForStdout(/"platforms":\["slack","discord"\]/);
    const polls = () => api.requests.filter((r) => r.path.endsWith(`/v1/result/${id}`)).length;

    await sendSlashCommand({
      url: `http://127.0.0.1:${port}/slack/events`,
      signingSecret: SECRETS.slackSigningSecret,
      command: '/sora-status',
      text: id,
      channelId: 'C0BOTH',
      userId: 'U0ANN',
      responseUrl: slack.responseUrl(),
    });
    await waitFor(() => slack.messages.some((m) => m.channel === 'C0BOTH'), 'the Slack card');
    const pollsBeforeDiscord = polls();
    discord.sendSlashCommand({
      name: 'sora-status',
      options: { id },
      channelId: DISCORD_CHANNEL,
      userId: '400000000000000004',
    });
    await waitFor(
      () => discord.messagesIn(DISCORD_CHANNEL).length > 0,
      'the Discord status message',
    );
    assert.equal(polls(), pollsBeforeDiscord, 'joining from Discord asks the API nothing');

    timeline = 2000; // the task completes
    await waitFor(
      () =>
        slack.files.some((f) => f.channel === 'C0BOTH') &&
        discord.messagesIn(DISCORD_CHANNEL).some((m) => m.attachments.length > 0),
      `both deliveries\n${bot.stdout}`,
      20_000,
    );
    assert.equal(
      cdn.requests.filter((r) => r.path === `/videos/${id}.mp4`).length,
      1,
      'one download',
    );
    assert.deepEqual(slack.files.find((f) => f.channel === 'C0BOTH')?.bytes, FIXTURE);
    const clip = discord.messagesIn(DISCORD_CHANNEL).find((m) => m.attachments.length > 0);
    assert.deepEqual(clip?.attachments[0]?.bytes, FIXTURE);
    // One stream: no two polls of the task ever came within the schedule's shortest gap.
    const times = api.requests.filter((r) => r.path.endsWith(`/v1/result/${id}`)).map((r) => r.at);
    for (let i = 1; i < times.length; i += 1) {
      assert.ok(
        (times[i] ?? 0) - (times[i - 1] ?? 0) >= 1_900,
        `polls ${i - 1} and ${i} too close`,
      );
    }
    assert.doesNotMatch(bot.stdout + bot.stderr, /never-logged/);
    bot.child.kill('SIGTERM');
    assert.equal((await bot.exited).code, 0);
  });
});
