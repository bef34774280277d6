/**
 * The fake Slack refuses a video block, a section too long, an image it cannot fetch and too
 * many blocks the way Slack does (`invalid_blocks`, nothing posted; an HTTP 400 from a
 * response_url), so a test that sees one posted knows its shape would pass Slack's checks.
 * Spoken to with the real WebClient.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { WebClient } from '@slack/web-api';
import { boltLogger } from '../../src/adapters/slack/bolt-logger.ts';
import { silentLogger } from '../../src/log.ts';
import { type FakeSlackApi, startFakeSlackApi } from './slack-api.ts';

const BOT_TOKEN = 'xoxb-block-checks';
let slack: FakeSlackApi;
let client: WebClient;

before(async () => {
  slack = await startFakeSlackApi({
    botToken: BOT_TOKEN,
    unfurlDomains: ['bot.example.com'],
    imageHosts: ['bot.example.com'],
  });
  client = new WebClient(BOT_TOKEN, {
    slackApiUrl: slack.apiUrl,
    retryConfig: { retries: 0 },
    logger: boltLogger(silentLogger),
  });
});
after(() => slack.close());

const PAGE = 'https://bot.example.com/clips/abc.def';

function video(changes: Record<string, unknown> = {}): Record<string, unknown> {
  const block: Record<string, unknown> = {
    type: 'video',
    video_url: PAGE,
    thumbnail_url: `${PAGE}.jpg`,
    alt_text: 'A fox in snow',
    title: { type: 'plain_text', text: 'A fox in snow' },
    ...changes,
  };
  for (const [key, value] of Object.entries(changes)) if (value === undefined) delete block[key];
  return block;
}

/** Posts `block` (or blocks) in a fresh channel; resolves to Slack's error code, or 'ok'. */
async function post(
  block: Record<string, unknown> | Record<string, unknown>[],
  channel: string,
): Promise<string> {
  const blocks = (Array.isArray(block) ? block : [block]) as never[];
  try {
    await client.chat.postMessage({ channel, text: 'clip', blocks });
    return 'ok';
  } catch (error) {
    const data = (error as { data?: { error?: string; errors?: string[] } }).data;
    assert.ok(data?.errors?.length, 'the reasons come with the refusal');
    return data?.error ?? 'no code';
  }
}

describe('the fake Slack checks video blocks as Slack does', () => {
  it('posts a whole video block', async () => {
    assert.equal(await post(video(), 'C0VOK'), 'ok');
    assert.equal(slack.messages.filter((m) => m.channel === 'C0VOK').length, 1);
  });

  it('refuses one without its thumbnail, and posts nothing', async () => {
    assert.equal(await post(video({ thumbnail_url: undefined }), 'C0VTHUMB'), 'invalid_blocks');
    assert.equal(slack.messages.filter((m) => m.channel === 'C0VTHUMB').length, 0);
  });

  it('refuses a title of 200 characters, and takes one of 199', async () => {
    const title = (length: number) => ({ type: 'plain_text', text: 'x'.repeat(length) });
    assert.equal(await post(video({ title: title(200) }), 'C0VLONG'), 'invalid_blocks');
    assert.equal(await post(video({ title: title(199) }), 'C0VLONG'), 'ok');
    assert.equal(slack.messages.filter((m) => m.channel === 'C0VLONG').length, 1);
  });

  it('refuses a player off the unfurl domains or over plain http, and one without alt text', async () => {
    const refused = [
      video({ video_url: 'https://elsewhere.example.org/clips/abc.def' }),
      video({ video_url: 'http://bot.example.com/clips/abc.def' }),
      video({ alt_text: undefined }),
      video({ title: 'A fox in snow' }),
    ];
    for (const block of refused) assert.equal(await post(block, 'C0VBAD'), 'invalid_blocks');
    assert.equal(slack.messages.filter((m) => m.channel === 'C0VBAD').length, 0);
  });
});

describe('the fake Slack checks sections, images and the count of blocks as Slack does', () => {
  function section(text: string, image: Record<string, unknown> = {}): Record<string, unknown> {
    return {
      type: 'section',
      text: { type: 'mrkdwn', text },
      accessory: { type: 'image', image_url: `${PAGE}.jpg`, alt_text: 'A fox', ...image },
    };
  }

  it('takes a section of 3000 characters with a poster beside it, and 50 blocks', async () => {
    assert.equal(await post(section('x'.repeat(3000)), 'C0SOK'), 'ok');
    assert.equal(await post(Array(50).fill(section('x')), 'C0SOK'), 'ok');
    assert.equal(slack.messages.filter((m) => m.channel === 'C0SOK').length, 2);
  });

  it('refuses a longer section, 51 blocks, an image it cannot fetch or without alt text', async () => {
    const refused = [
      section('x'.repeat(3001)),
      Array(51).fill(section('x')),
      section('x', { image_url: 'https://intranet.example/clips/abc.def.jpg' }),
      section('x', { alt_text: '' }),
      section('x', { alt_text: 'x'.repeat(2001) }),
    ];
    for (const blocks of refused) assert.equal(await post(blocks, 'C0SBAD'), 'invalid_blocks');
    assert.equal(slack.messages.filter((m) => m.channel === 'C0SBAD').length, 0);
  });

  it('answers a response_url with refused blocks with HTTP 400, and shows nothing', async () => {
    const url = slack.responseUrl();
    const answer = (blocks: unknown[]) =>
      fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ text: 'clips', blocks }),
      });
    const refused = await answer([section('x'.repeat(3001))]);
    assert.equal(refused.status, 400);
    assert.equal(await refused.text(), 'invalid_blocks');
    assert.equal((await answer([section('x')])).status, 200);
    const id = url.slice(url.lastIndexOf('/') + 1);
    assert.equal(slack.responses.filter((r) => r.id === id).length, 1);
  });
});
