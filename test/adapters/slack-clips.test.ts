/**
 * `/sora-clips` on Slack, end to end: the real Bolt app on the fake Slack, a real clip library
 * in a folder. With share pages the private answer is Block Kit, each clip a section with its
 * poster beside it, within Slack's limits (which the fake checks as Slack does); without them
 * it is the text alone, as before; and when Slack cannot fetch the posters, the text follows.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ClipShelf } from '../../src/chat/command-services.ts';
import { MemoryWatchStore } from '../../src/store/memory-watch-store.ts';
import { galleryLink, shareLink } from '../../src/web/clip-token.ts';
import { type FakeSlackApi, sendSlashCommand } from '../fakes/slack-api.ts';
import { FolderClipLibrary, TINY_MP4 } from '../support/folder-clip-library.ts';
import { ManualClock } from '../support/manual-clock.ts';
import {
  SLACK_SIGNING_SECRET,
  type SlackBot,
  type SlackFakes,
  startSlackBot,
  startSlackFakes,
} from '../support/slack-bot.ts';
import { waitFor } from '../support/wait-for.ts';

const API_KEY = 'slack-clips-key';
const PUBLIC_URL = 'https://clips.example.com';
/** A PUBLIC_URL Slack cannot fetch posters from (the fake downloads only from clips.example.com). */
const INTRANET_URL = 'https://intranet.example';
const SECRET = 'slack-clips-secret';
const CHANNEL = 'C0CLIPS';
const ASKER = 'U0ANN';
const clock = new ManualClock(Date.UTC(2026, 11, 1, 9, 0));
let fakes: SlackFakes;
let slack: FakeSlackApi;
let library: FolderClipLibrary;
const bots: SlackBot[] = [];

const link = (taskId: string, base = PUBLIC_URL) => shareLink(base, taskId, SECRET);
/** A prompt of two lines: the card quotes it as one, so no line of it escapes the quote. */
const TWO_LINES = 'Dawn over the harbour\nthen the gulls take off';
/** A prompt long enough to be cut, with the characters mrkdwn reads as markup. */
const longPrompt = (n: number) => `Kite ${n} & <gulls> over the sea, ${'a long pan '.repeat(60)}`;

/** The bot as main.ts wires it, its library read through share pages on `publicUrl` or none. */
async function botWith(publicUrl: string | undefined): Promise<SlackBot> {
  const shelf: ClipShelf = { list: () => library.list() };
  if (publicUrl !== undefined) {
    shelf.shareLink = (taskId) => link(taskId, publicUrl);
    shelf.galleryLink = (target) => galleryLink(publicUrl, target, SECRET);
  }
  const bot = await startSlackBot({
    slackApiUrl: slack.apiUrl,
    soraApi: { baseUrl: fakes.api.baseUrl, apiKey: API_KEY },
    clock,
    store: new MemoryWatchStore(() => clock.now()),
    downloadsDir: path.join(fakes.workDir, `downloads-${bots.length}`),
    clips: shelf,
  });
  bots.push(bot);
  return bot;
}

/** Runs `/sora-clips <text>` in the channel; resolves with the private answer's body. */
async function clips(bot: SlackBot, text: string): Promise<Record<string, unknown>> {
  const responseUrl = slack.responseUrl();
  await sendSlashCommand({
    url: bot.eventsUrl,
    signingSecret: SLACK_SIGNING_SECRET,
    command: '/sora-clips',
    text,
    channelId: CHANNEL,
    userId: ASKER,
    responseUrl,
  });
  const id = responseUrl.slice(responseUrl.lastIndexOf('/') + 1);
  await waitFor(() => slack.responses.some((r) => r.id === id), 'the private answer');
  return slack.responses.find((r) => r.id === id)?.body ?? {};
}

type Section = {
  type: string;
  text?: { type: string; text: string };
  accessory?: { type: string; image_url: string; alt_text: string };
  elements?: { type: string; text: string }[];
};

before(async () => {
  fakes = await startSlackFakes({
    apiKey: API_KEY,
    clock,
    name: 'sora-slack-clips',
    imageHosts: ['clips.example.com'],
  });
  slack = fakes.slack;
  library = await FolderClipLibrary.create(() => clock.now());
  // Twelve clips a minute apart, the last with a prompt that is all markup.
  for (let n = 1; n <= 12; n += 1) {
    await clock.advance(60_000);
    await library.keep(TINY_MP4, {
      taskId: `vgen_kite_${n}`,
      model: 'veo_3_1_fast',
      prompt: n === 12 ? '&'.repeat(5000) : n === 10 ? TWO_LINES : longPrompt(n),
      clipSeconds: 8,
      completedAt: clock.now(),
      places: [{ target: `slack:${CHANNEL}`, requesters: [ASKER] }],
    });
  }
});

after(async () => {
  for (const bot of bots) await bot.stop();
  await library.close();
  await fakes.close();
});

describe('/sora-clips on Slack', () => {
  it('answers with a section per clip, its poster beside it, within Slack’s limits', async () => {
    const bot = await botWith(PUBLIC_URL);
    const answer = await clips(bot, '');
    assert.equal(answer.response_type, 'ephemeral');
    // The plain listing stays the text: Slack's notifications and fallback.
    assert.match(String(answer.text), /^12 kept clips in this channel, newest first:\n• VEO/);
    const blocks = answer.blocks as Section[];
    assert.ok(blocks.length <= 50);
    assert.equal(blocks.length, 12, 'the heading, ten clips, the next page and gallery');
    assert.deepEqual(blocks[0], {
      type: 'section',
      text: { type: 'mrkdwn', text: '12 kept clips in this channel, newest first:' },
    });
    const cards = blocks.slice(1, 11);
    const ids = Array.from({ length: 10 }, (_, i) => `vgen_kite_${12 - i}`);
    assert.deepEqual(
      cards.map((card) => card.accessory?.image_url),
      ids.map((id) => `${link(id)}.jpg`),
    );
    for (const [index, card] of cards.entries()) {
      const text = card.text?.text ?? '';
      assert.ok(text.length <= 3000, `section ${index} holds ${text.length} characters`);
      assert.equal(card.accessory?.type, 'image');
      assert.ok(text.includes(`<${link(ids[index] as string)}|Watch and share>`), text);
      assert.match(
        text,
        /^\*VEO 3\.1 Fast\* · 8 s · <!date\^\d+\^\{date_short_pretty\} \{time\}\|2026-12-01 09:\d\d UTC>\n> /,
      );
    }
    // The all-markup prompt, cut then escaped; the others escaped and cut with an ellipsis.
    assert.equal(cards[0]?.text?.text.split('\n')[1], `> ${'&amp;'.repeat(299)}…`);
    const kite = cards[1]?.text?.text.split('\n')[1] ?? '';
    assert.ok(kite.startsWith('> Kite 11 &amp; &lt;gulls&gt; over the sea, a long pan'), kite);
    assert.ok(kite.endsWith('…'));
    assert.deepEqual(
      cards[2]?.text?.text.split('\n').slice(1, 3),
      [
        '> Dawn over the harbour then the gulls take off',
        `<${link('vgen_kite_10')}|Watch and share>`,
      ],
      'the whole prompt quoted',
    );
    assert.equal(
      cards[1]?.accessory?.alt_text.startsWith('The first frame of “Kite 11 & <gulls>'),
      true,
    );
    assert.deepEqual(blocks[11], {
      type: 'context',
      elements: [
        { type: 'mrkdwn', text: 'page 1 of 2: /sora-clips page 2' },
        {
          type: 'mrkdwn',
          text: `<${galleryLink(PUBLIC_URL, `slack:${CHANNEL}`, SECRET)}|All of this channel's clips, as a gallery>`,
        },
      ],
    });
  });

  it('shows the last page without a next one', async () => {
    const bot = await botWith(PUBLIC_URL);
    const blocks = (await clips(bot, 'page 2')).blocks as Section[];
    assert.deepEqual(
      blocks.slice(1, 3).map((block) => block.accessory?.image_url),
      [`${link('vgen_kite_2')}.jpg`, `${link('vgen_kite_1')}.jpg`],
    );
    assert.equal(blocks.length, 4, 'the heading, two clips, the gallery');
    assert.equal(blocks[3]?.elements?.length, 1);
  });

  it('answers in text alone without share pages, as before', async () => {
    const bot = await botWith(undefined);
    const answer = await clips(bot, '');
    assert.deepEqual(Object.keys(answer).sort(), ['response_type', 'text']);
    const lines = String(answer.text).split('\n');
    assert.equal(lines[0], '12 kept clips in this channel, newest first:');
    assert.match(lines[1] as string, /^• VEO 3\.1 Fast, 8 s, 2026-12-01 09:12 UTC: “&{79}…”$/);
    assert.equal(lines[11], 'page 1 of 2: /sora-clips page 2');
  });

  it('answers in text when Slack cannot fetch the posters', async () => {
    const bot = await botWith(INTRANET_URL);
    const answer = await clips(bot, '');
    assert.equal(answer.blocks, undefined);
    assert.match(String(answer.text), /^12 kept clips in this channel, newest first:\n/);
    assert.ok(String(answer.text).includes(link('vgen_kite_12', INTRANET_URL)));
  });
});
