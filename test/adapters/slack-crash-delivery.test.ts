/**
 * A real bot process killed (SIGKILL) in the middle of a Slack delivery, then started again
 * on the same data: the clip ends up shared in the channel exactly once.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sendSlashCommand } from '../fakes/slack-api.ts';
import { FIXTURE } from '../fakes/video-cdn.ts';
import type { BotProcess } from '../support/bot-process.ts';
import { FakeWorld, SECRETS } from '../support/fake-world.ts';
import { freePort } from '../support/redis.ts';

let world: FakeWorld;

before(async () => {
  world = await FakeWorld.start();
});
after(() => world.close());

/** Starts a bot on `dataName`, asks it for `taskId` in `channel` (first start only). */
async function startBot(dataName: string, port: number): Promise<BotProcess> {
  const { process: bot } = await world.startBot({ platforms: ['slack'], dataName, port });
  return bot;
}

async function ask(port: number, taskId: string, channel: string): Promise<void> {
  const answer = await sendSlashCommand({
    url: `http://127.0.0.1:${port}/slack/events`,
    signingSecret: SECRETS.slackSigningSecret,
    command: '/sora-status',
    text: taskId,
    channelId: channel,
    userId: 'U0CRASH',
    responseUrl: world.slack.responseUrl(),
  });
  assert.equal(answer.status, 200);
}

/** Kills the bot hard, then lets the held step go on as Slack would once it has it. */
async function killDuring(bot: BotProcess, release: () => void): Promise<void> {
  await bot.kill('SIGKILL');
  assert.equal((await bot.exited).signal, 'SIGKILL');
  release();
}

describe('Slack delivery across a crash', () => {
  it('shares the clip once when killed while Slack completes the share', async () => {
    const { slack } = world;
    const id = 'sora_crash_share';
    const channel = 'C0SHARE';
    const port = await freePort();
    world.api.addTask({ id, created: Math.floor(Date.now() / 1000) - 300 });
    const held = slack.hold('files.completeUploadExternal');
    const first = await startBot('share', port);
    await ask(port, id, channel);
    await held.arrived;
    // Slack goes on with a completion whose answer never reaches the killed bot.
    await killDuring(first, held.release);

    const second = await startBot('share', port);
    await second.waitForStdout(/"msg":"watch finished"/, 15_000);
    const shares = slack.sharesIn(channel);
    assert.equal(shares.length, 1, `one share\n${second.stdout}`);
    assert.deepEqual(slack.files.find((f) => f.fileId === shares[0]?.fileId)?.bytes, FIXTURE);
    const completions = slack
      .callsOf('files.completeUploadExternal')
      .filter((c) => c.params.channel_id === channel);
    assert.equal(completions.length, 1, 'the share was asked for once');
    await second.kill('SIGTERM');
  });

  it('shares the clip once when killed while the bytes are being uploaded', async () => {
    const { slack } = world;
    const id = 'sora_crash_bytes';
    const channel = 'C0BYTES';
    const port = await freePort();
    world.api.addTask({ id, created: Math.floor(Date.now() / 1000) - 300 });
    const held = slack.holdUpload();
    const first = await startBot('bytes', port);
    await ask(port, id, channel);
    await held.arrived;
    const [interrupted] = slack.uploads.slice(-1);
    assert.ok(interrupted);
    await killDuring(first, held.release);

    const second = await startBot('bytes', port);
    await second.waitForStdout(/"msg":"watch finished"/, 15_000);
    const shares = slack.sharesIn(channel);
    assert.equal(shares.length, 1, `one share\n${second.stdout}`);
    assert.notEqual(shares[0]?.fileId, interrupted.fileId, 'not the half-sent upload');
    assert.deepEqual(slack.files.find((f) => f.fileId === shares[0]?.fileId)?.bytes, FIXTURE);
    // The restarted bot looked at the file it had recorded before uploading anew.
    const looked = slack.callsOf('files.info').map((c) => c.params.file);
    assert.ok(looked.includes(interrupted.fileId), `files.info of ${interrupted.fileId}`);
    await second.kill('SIGTERM');
  });
});
