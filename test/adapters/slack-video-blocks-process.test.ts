/**
 * SLACK_VIDEO_BLOCKS=on in a real bot process (`node src/main.ts`) against the fake Slack:
 * the setting reaches the adapter, the finished clip is posted as a video block playing the
 * share page the bot itself serves, the card links to that message, and nothing is uploaded.
 * Killed while Slack takes that post, the restarted bot posts it once more, as a link or
 * failure message would be (Slack has no idempotency key), and uploads nothing.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { shareLink } from '../../src/web/clip-token.ts';
import { type PostedMessage, sendSlashCommand } from '../fakes/slack-api.ts';
import { FakeWorld, SECRETS } from '../support/fake-world.ts';
import { freePort } from '../support/redis.ts';
import { waitFor } from '../support/wait-for.ts';

const PUBLIC_URL = 'https://bot.example.com';
const LINK_SECRET = 'video-blocks-process-secret-0123456789';
const VIDEO_BLOCKS = {
  SLACK_VIDEO_BLOCKS: 'on',
  PUBLIC_URL,
  CLIP_LINK_SECRET: LINK_SECRET,
};

let world: FakeWorld;

before(async () => {
  world = await FakeWorld.start({ slackUnfurlDomains: ['bot.example.com'] });
});
after(() => world.close());

async function ask(port: number, taskId: string, channel: string): Promise<void> {
  const answer = await sendSlashCommand({
    url: `http://127.0.0.1:${port}/slack/events`,
    signingSecret: SECRETS.slackSigningSecret,
    command: '/sora-status',
    text: taskId,
    channelId: channel,
    userId: 'U0PLAY',
    responseUrl: world.slack.responseUrl(),
  });
  assert.equal(answer.status, 200);
}

const hasVideoBlock = (m: PostedMessage) =>
  (m.blocks ?? []).some((b) => (b as { type?: string }).type === 'video');
const playersIn = (channel: string) =>
  world.slack.messages.filter((m) => m.channel === channel && hasVideoBlock(m));

describe('Slack video blocks in a real process', () => {
  it('posts the clip as a video block of the page the bot serves, and the card links to it', async () => {
    const { slack } = world;
    const id = 'sora_play_main';
    const channel = 'C0PLAY';
    world.api.addTask({ id, created: Math.floor(Date.now() / 1000) - 300 });
    const { process: bot, port } = await world.startBot({
      platforms: ['slack'],
      dataName: 'play',
      env: VIDEO_BLOCKS,
    });
    await ask(port, id, channel);
    await bot.waitForStdout(/"msg":"watch finished"/, 15_000);

    const [player, ...more] = playersIn(channel);
    assert.ok(player, `a video block\n${bot.stdout}`);
    assert.equal(more.length, 0);
    const page = shareLink(PUBLIC_URL, id, LINK_SECRET);
    const block = player.blocks?.find((b) => (b as { type?: string }).type === 'video') as {
      video_url: string;
      thumbnail_url: string;
    };
    assert.equal(block.video_url, page);
    assert.equal(block.thumbnail_url, `${page}.jpg`);
    assert.match(JSON.stringify(player.blocks), /<@U0PLAY>/);
    assert.match(JSON.stringify(player.blocks), new RegExp(`sora:details:${id}`));
    assert.equal(slack.sharesIn(channel).length, 0, 'no upload');
    assert.equal(slack.callsOf('files.getUploadURLExternal').length, 0);
    // The page and its poster are the bot's own, kept once the delivery was done.
    const local = `http://127.0.0.1:${port}${new URL(page).pathname}`;
    assert.equal((await fetch(local)).status, 200);
    assert.equal((await fetch(`${local}.jpg`)).status, 200);
    // The card points at the posted message.
    const permalink = `https://fake.slack.com/archives/${channel}/p${player.ts.replace('.', '')}`;
    await waitFor(
      () =>
        slack.messages.some(
          (m) => m.channel === channel && JSON.stringify(m.edits.at(-1)).includes(permalink),
        ),
      'the card linking to the clip',
    );
    await bot.kill('SIGTERM');
  });

  it('after a kill while Slack takes the post, posts it once more and uploads nothing', async () => {
    const { slack } = world;
    const id = 'sora_play_crash';
    const channel = 'C0PLAYCRASH';
    const port = await freePort();
    world.api.addTask({ id, created: Math.floor(Date.now() / 1000) - 300 });
    const held = slack.hold('chat.postMessage', (params) =>
      String(params.blocks ?? '').includes('"type":"video"'),
    );
    const start = () =>
      world.startBot({ platforms: ['slack'], dataName: 'play-crash', port, env: VIDEO_BLOCKS });
    const { process: first } = await start();
    await ask(port, id, channel);
    await held.arrived;
    await first.kill('SIGKILL');
    assert.equal((await first.exited).signal, 'SIGKILL');
    // Slack goes on with the post whose answer never reaches the killed bot.
    held.release();
    await waitFor(() => playersIn(channel).length === 1, 'the first post');

    const { process: second } = await start();
    await second.waitForStdout(/"msg":"watch finished"/, 15_000);
    assert.equal(playersIn(channel).length, 2, 'posted once more, as a link message would be');
    assert.equal(slack.sharesIn(channel).length, 0, 'never uploaded besides');
    assert.equal(slack.callsOf('files.getUploadURLExternal').length, 0);
    await second.kill('SIGTERM');
  });
});
