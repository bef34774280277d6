/**
 * `/sora-clips` on Discord, end to end: a real discord.js client on the fake Discord (which
 * refuses embeds past Discord's limits, as Discord does), a real clip library in a folder.
 * With share pages the private answer carries an embed per clip with its poster; without
 * them it is the text alone, as before.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ClipShelf } from '../../src/chat/command-services.ts';
import { galleryLink, shareLink } from '../../src/web/clip-token.ts';
import type { FakeDiscord } from '../fakes/discord.ts';
import { type DiscordRig, startDiscordRig } from '../support/discord-rig.ts';
import { FolderClipLibrary, TINY_MP4 } from '../support/folder-clip-library.ts';
import { ManualClock } from '../support/manual-clock.ts';
import { waitFor } from '../support/wait-for.ts';

const ANN = '300000000000000001';
const CHANNEL = '500000000000000001';
const PUBLIC_URL = 'https://clips.example.com';
const SECRET = 'discord-clips-secret';
const libraryClock = new ManualClock(Date.UTC(2026, 11, 1, 9, 0));
let library: FolderClipLibrary;
/** With share pages, as with PUBLIC_URL set; and without. */
let rig: DiscordRig;
let plainRig: DiscordRig;

const link = (taskId: string) => shareLink(PUBLIC_URL, taskId, SECRET);
/** A prompt long enough to be cut. */
const longPrompt = (n: number) => `Kite ${n} over the sea, ${'a long slow pan '.repeat(300)}`;

type Embed = {
  title: string;
  url: string;
  description: string;
  thumbnail: { url: string };
  timestamp: string;
};

async function startRig(clips: ClipShelf): Promise<DiscordRig> {
  return startDiscordRig({
    guilds: [{ id: '600000000000000001', premiumTier: 0, channelIds: [CHANNEL] }],
    clips,
  });
}

/** Runs `/sora-clips` with `options`; resolves with the private answer once it is given. */
async function clips(discord: FakeDiscord, options: Record<string, string | number> = {}) {
  const interaction = discord.sendSlashCommand({
    name: 'sora-clips',
    options,
    channelId: CHANNEL,
    userId: ANN,
  });
  await waitFor(() => discord.replies.get(interaction)?.content !== undefined, 'the answer');
  const reply = discord.replies.get(interaction);
  assert.ok(reply);
  assert.equal(reply.ephemeral, true);
  return { content: reply.content ?? '', embeds: (reply.embeds ?? []) as Embed[] };
}

before(async () => {
  library = await FolderClipLibrary.create(() => libraryClock.now());
  // Twelve clips a minute apart, the first without a prompt.
  for (let n = 1; n <= 12; n += 1) {
    await libraryClock.advance(60_000);
    await library.keep(TINY_MP4, {
      taskId: `vgen_kite_${n}`,
      model: 'veo_3_1_fast',
      ...(n === 1 ? {} : { prompt: longPrompt(n) }),
      clipSeconds: 8,
      completedAt: libraryClock.now(),
      places: [{ target: `discord:${CHANNEL}`, requesters: [ANN] }],
    });
  }
  rig = await startRig({
    list: () => library.list(),
    shareLink: link,
    galleryLink: (target) => galleryLink(PUBLIC_URL, target, SECRET),
  });
  plainRig = await startRig({ list: () => library.list() });
});

after(async () => {
  await rig.close();
  await plainRig.close();
  await library.close();
});

describe('/sora-clips on Discord with share pages', () => {
  it('answers with an embed per clip: its share page, prompt, poster and date, within Discord’s limits', async () => {
    const { content, embeds } = await clips(rig.discord);
    const gallery = galleryLink(PUBLIC_URL, `discord:${CHANNEL}`, SECRET);
    // The clips are in the embeds; the message keeps the rest of the listing.
    assert.equal(
      content,
      [
        '12 kept clips in this channel, newest first:',
        'page 1 of 2: /sora-clips page 2',
        `All of this channel's clips, as a gallery: <${gallery}>`,
      ].join('\n'),
    );
    assert.equal(embeds.length, 10);
    const ids = Array.from({ length: 10 }, (_, i) => `vgen_kite_${12 - i}`);
    assert.deepEqual(
      embeds.map((embed) => [embed.url, embed.thumbnail.url]),
      ids.map((id) => [link(id), `${link(id)}.jpg`]),
    );
    assert.equal(embeds[0]?.title, 'VEO 3.1 Fast · 8 s');
    assert.equal(embeds[0]?.timestamp, new Date(Date.UTC(2026, 11, 1, 9, 12)).toISOString());
    const description = embeds[0]?.description ?? '';
    assert.ok(description.startsWith('“Kite 12 over the sea, a long slow pan'), description);
    assert.ok(description.endsWith('…”'));
    let total = 0;
    for (const embed of embeds) {
      assert.ok(embed.title.length <= 256);
      assert.ok(embed.description.length <= 4096);
      total += embed.title.length + embed.description.length;
    }
    assert.ok(total <= 6000, `${total} characters over the embeds`);
  });

  it('shows the last page, a clip without a prompt saying so', async () => {
    const { content, embeds } = await clips(rig.discord, { page: 2 });
    assert.match(content, /^12 kept clips in this channel, newest first:\nAll of this channel/);
    assert.deepEqual(
      embeds.map((embed) => embed.url),
      [link('vgen_kite_2'), link('vgen_kite_1')],
    );
    assert.equal(embeds[1]?.description, '(no prompt)');
  });
});

describe('/sora-clips on Discord without share pages', () => {
  it('answers with the text alone, as before', async () => {
    const { content, embeds } = await clips(plainRig.discord, { scope: 'all' });
    assert.deepEqual(embeds, []);
    const lines = content.split('\n');
    assert.equal(lines.length, 12, 'the heading, ten clips, the next page');
    assert.equal(lines[0], '12 kept clips in the library, newest first:');
    assert.match(
      lines[1] as string,
      /^• VEO 3\.1 Fast, 8 s, 2026-12-01 09:12 UTC: “Kite 12 over the sea, .*…”$/,
    );
    assert.equal(lines[11], 'page 1 of 2: /sora-clips all page 2');
    const calls = plainRig.discord.calls.filter((call) =>
      call.path.endsWith('/messages/%40original'),
    );
    assert.ok(calls.length > 0 && calls.every((call) => call.body?.embeds === undefined));
  });
});
