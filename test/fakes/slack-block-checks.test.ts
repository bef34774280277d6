/**
 * The fake Slack refuses a video block the way Slack does (`invalid_blocks`, nothing posted),
 * so a test that sees one posted knows its shape would pass Slack's checks. Spoken to with the
 * real WebClient.
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
  slack = await startFakeSlackApi({ botToken: BOT_TOKEN, unfurlDomains: ['bot.example.com'] });
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

/** Posts `block` in a fresh channel; resolves to Slack's error code, or 'ok'. */
async function post(block: Record<string, unknown>, channel: string): Promise<string> {
  try {
    await client.chat.postMessage({ channel, text: 'clip', blocks: [block as never] });
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
