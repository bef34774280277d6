/**
 * SLACK_VIDEO_BLOCKS at the Slack adapter, against the fake Slack over real HTTP: with it on,
 * a clip with a share page goes out as one chat.postMessage whose video block plays that page
 * (the fake refuses a block Slack would refuse), with the mention and the result's buttons,
 * and nothing is uploaded; with it off, or without a share page, the clip is uploaded as
 * before. A block Slack refuses falls back to the upload; a delivery that began as an upload
 * ends as one.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { SlackAdapter } from '../../src/adapters/slack/index.ts';
import type { FinishedVideo } from '../../src/chat/port.ts';
import { silentLogger } from '../../src/log.ts';
import type { DeliveryUpload, Subscription } from '../../src/watch/watch.ts';
import { shareLink } from '../../src/web/clip-token.ts';
import { type FakeSlackApi, startFakeSlackApi } from '../fakes/slack-api.ts';
import { FIXTURE } from '../fakes/video-cdn.ts';

const BOT_TOKEN = 'xoxb-video-blocks';
const PUBLIC_URL = 'https://bot.example.com';
const SECRET = 'video-block-test-secret-0123456789abcdef';
let slack: FakeSlackApi;
let on: SlackAdapter;
let off: SlackAdapter;
let dir: string;
let clip: { path: string; bytes: number };

function adapter(videoBlocks: boolean): SlackAdapter {
  return new SlackAdapter({
    botToken: BOT_TOKEN,
    signingSecret: 'video-block-secret',
    apiUrl: slack.apiUrl,
    port: 0,
    logger: silentLogger,
    videoBlocks,
  });
}

before(async () => {
  slack = await startFakeSlackApi({ botToken: BOT_TOKEN, unfurlDomains: ['bot.example.com'] });
  on = adapter(true);
  off = adapter(false);
  dir = await mkdtemp(path.join(tmpdir(), 'sora-slack-video-'));
  clip = { path: path.join(dir, 'clip.mp4'), bytes: FIXTURE.length };
  await writeFile(clip.path, FIXTURE);
});

after(async () => {
  await slack.close();
  await rm(dir, { recursive: true, force: true });
});

function sub(channel: string, upload?: DeliveryUpload): Subscription {
  return {
    target: `slack:${channel}`,
    requesters: ['U0VID'],
    delivery: 'started',
    deliveryAttempts: 1,
    since: 0,
    ...(upload ? { upload } : {}),
  };
}

function video(id: string, extra: Partial<FinishedVideo> = {}): FinishedVideo {
  const task = {
    id,
    object: 'video.generation',
    created: Math.floor(Date.now() / 1000),
    model: 'openAiSora2Pro',
    status: 'completed',
    actualDuration: 8,
  };
  return {
    task,
    file: clip,
    shareLink: shareLink(PUBLIC_URL, id, SECRET),
    remakeable: true,
    ...extra,
  } as FinishedVideo;
}

const messagesIn = (channel: string) => slack.messages.filter((m) => m.channel === channel);
const uploadsAsked = () => slack.callsOf('files.getUploadURLExternal').length;

/** The fields of a video block the tests read. */
interface VideoBlock {
  type: 'video';
  video_url: string;
  thumbnail_url: string;
  title_url?: string;
  alt_text: string;
  title: { type: string; text: string };
  description?: { type: string; text: string };
}

/** The one message posted in `channel`, its video block and its buttons' action ids. */
function playerIn(channel: string) {
  const messages = messagesIn(channel);
  assert.equal(messages.length, 1, 'one message');
  const [message] = messages;
  const blocks = (message?.blocks ?? []) as Record<string, unknown>[];
  const videoBlock = blocks.find((b) => b.type === 'video') as VideoBlock | undefined;
  assert.ok(videoBlock, 'a video block');
  const actions = blocks.find((b) => b.type === 'actions') as
    | { elements: { action_id: string }[] }
    | undefined;
  const section = blocks[0] as { text?: { text?: string } };
  return {
    message,
    videoBlock,
    section: section.text?.text ?? '',
    buttons: (actions?.elements ?? []).map((e) => e.action_id),
  };
}

describe('Slack video blocks (SLACK_VIDEO_BLOCKS)', () => {
  it('posts the clip as a video block of its share page, with the mention and the buttons, and uploads nothing', async () => {
    const id = 'sora_vb_main';
    const uploads = uploadsAsked();
    const prompt = 'A red fox trots\nthrough fresh snow at dawn';
    const link = await on.deliverVideo(sub('C0VMAIN'), video(id, { prompt }));

    const { message, videoBlock, section, buttons } = playerIn('C0VMAIN');
    const page = shareLink(PUBLIC_URL, id, SECRET);
    assert.equal(videoBlock.video_url, page);
    assert.equal(videoBlock.thumbnail_url, `${page}.jpg`);
    assert.equal(videoBlock.title_url, page);
    assert.deepEqual(videoBlock.title, {
      type: 'plain_text',
      text: 'A red fox trots through fresh snow at dawn',
    });
    assert.deepEqual(videoBlock.description, { type: 'plain_text', text: 'Sora 2 Pro, 8 s clip' });
    assert.match(videoBlock.alt_text, /^The clip of sora_vb_main: A red fox/);
    assert.match(section, /^<@U0VID> :clapper: \*sora_vb_main\* is ready \(Sora 2 Pro, 8 s clip\)/);
    assert.deepEqual(buttons, [
      `sora:rerun:${id}`,
      `sora:edit:${id}`,
      `sora:share:${id}`,
      `sora:details:${id}`,
    ]);
    // The notification text says it all, link and prompt included.
    assert.match(message?.text ?? '', /^<@U0VID> .*Watch and share>\n> A red fox trots/s);
    const call = slack.callsOf('chat.postMessage').at(-1)?.params;
    assert.equal(String(call?.unfurl_links), 'false');
    assert.equal(String(call?.unfurl_media), 'false');
    assert.equal(uploadsAsked(), uploads, 'no upload');
    assert.equal(slack.sharesIn('C0VMAIN').length, 0);
    assert.equal(link, `https://fake.slack.com/archives/C0VMAIN/p${message?.ts.replace('.', '')}`);
  });

  it('cuts a long prompt to a title Slack takes, and titles a clip without a prompt by its model', async () => {
    const long = `${'a slow pan over a glacier lake '.repeat(20)}🦊🦊🦊`;
    await on.deliverVideo(sub('C0VLONG'), video('sora_vb_long', { prompt: long }));
    const title = playerIn('C0VLONG').videoBlock.title.text;
    assert.ok(title.length <= 199, `${title.length} characters`);
    assert.ok(title.endsWith('…'));
    assert.ok(long.startsWith(title.slice(0, -1)));

    await on.deliverVideo(sub('C0VBARE'), video('sora_vb_bare'));
    const bare = playerIn('C0VBARE').videoBlock;
    assert.deepEqual(bare.title, { type: 'plain_text', text: 'Sora 2 Pro' });
    assert.equal(bare.description, undefined);
  });

  it('uploads the clip as before when the setting is off, or when the clip has no share page', async () => {
    await off.deliverVideo(sub('C0VOFF'), video('sora_vb_off'));
    assert.equal(slack.sharesIn('C0VOFF').length, 1);
    assert.equal(messagesIn('C0VOFF').length, 0);
    const file = slack.files.find((f) => f.fileId === slack.sharesIn('C0VOFF')[0]?.fileId);
    assert.match(file?.initialComment ?? '', /^<@U0VID> .*Watch and share>/);

    await on.deliverVideo(sub('C0VNOPAGE'), video('sora_vb_nopage', { shareLink: undefined }));
    assert.equal(slack.sharesIn('C0VNOPAGE').length, 1);
    assert.equal(messagesIn('C0VNOPAGE').length, 0);
  });

  it('uploads the clip when Slack refuses the block (a page off the unfurl domains)', async () => {
    const elsewhere = shareLink('https://elsewhere.example.org', 'sora_vb_refused', SECRET);
    const posts = slack.callsOf('chat.postMessage').length;
    await on.deliverVideo(sub('C0VREF'), video('sora_vb_refused', { shareLink: elsewhere }));
    assert.equal(slack.callsOf('chat.postMessage').length, posts + 1, 'the block was tried');
    assert.equal(messagesIn('C0VREF').length, 0, 'and refused');
    assert.equal(slack.sharesIn('C0VREF').length, 1, 'the clip is uploaded instead');
  });

  it('leaves an unclear failure to the tracker, uploading nothing meanwhile', async () => {
    const uploads = uploadsAsked();
    slack.fail('chat.postMessage', { error: 'internal_error', channel: 'C0VFAIL' });
    await assert.rejects(on.deliverVideo(sub('C0VFAIL'), video('sora_vb_fail')));
    assert.equal(uploadsAsked(), uploads);
    // The tracker's next try posts it.
    await on.deliverVideo(sub('C0VFAIL'), video('sora_vb_fail'));
    assert.equal(playerIn('C0VFAIL').videoBlock.type, 'video');
  });

  it('ends a delivery that began as an upload as one: a clip already shared is not posted again', async () => {
    await off.deliverVideo(sub('C0VSWITCH'), video('sora_vb_switch'));
    const [shared] = slack.sharesIn('C0VSWITCH');
    assert.ok(shared);
    const uploads = uploadsAsked();
    // Restarted with the setting on, the delivery record still holds the shared file.
    await on.deliverVideo(
      sub('C0VSWITCH', { fileId: shared.fileId, sharing: true }),
      video('sora_vb_switch'),
    );
    assert.equal(slack.sharesIn('C0VSWITCH').length, 1);
    assert.equal(messagesIn('C0VSWITCH').length, 0, 'no video block besides the file');
    assert.equal(uploadsAsked(), uploads);
  });
});
