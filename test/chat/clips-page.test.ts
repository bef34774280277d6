/**
 * `/sora-clips` in parts (clips-page.ts): with share pages, each clip of the page with its
 * model, length, date, whole prompt, share page and poster, and the heading, next page and
 * gallery of the text; without share pages, none, and the text as it always was.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type ClipsAnswer, clipsListing } from '../../src/chat/clips-listing.ts';
import type { ClipShelf } from '../../src/chat/command-services.ts';
import { parseCommand } from '../../src/chat/commands.ts';
import type { KeptClip } from '../../src/watch/kept-clip.ts';

const origin = { target: 'slack:C0123', requester: 'U0ANNA' };
const HOUR = 60 * 60_000;
const DAY_START = Date.UTC(2026, 11, 1, 0, 0);
const PUBLIC = 'https://clips.example/clips';

/** Clips kept an hour apart, newest first as the library lists them. */
function keptClips(count: number, extra: (n: number) => Partial<KeptClip> = () => ({})) {
  return Array.from({ length: count }, (_, index): KeptClip => {
    const n = count - index;
    return {
      taskId: `vgen_${n}`,
      model: 'veo_3_1_fast',
      prompt: `clip number ${n}`,
      clipSeconds: 8,
      bytes: 1000,
      places: [{ target: origin.target, link: `https://slack.example/p${n}`, requesters: [] }],
      keptAt: DAY_START + n * HOUR,
      ...extra(n),
    };
  });
}

function shelfOf(clips: KeptClip[], withPages = true): ClipShelf {
  const shelf: ClipShelf = { list: async () => clips };
  if (withPages) {
    shelf.shareLink = (taskId) => `${PUBLIC}/${taskId}.token`;
    shelf.galleryLink = (target) => `https://clips.example/gallery/${encodeURIComponent(target)}`;
  }
  return shelf;
}

function listing(shelf: ClipShelf, text = ''): Promise<ClipsAnswer> {
  const command = parseCommand('sora-clips', text, origin);
  assert.equal(command.kind, 'clips');
  return clipsListing(shelf, command.filter, command.origin);
}

describe('/sora-clips in parts', () => {
  it('gives each clip with its share page and poster, the prompt whole on one line', async () => {
    const long = `A kite festival\nseen from above, ${'with hundreds of colourful kites '.repeat(5)}`;
    const clips = [
      ...keptClips(1, () => ({ prompt: long, completedAt: DAY_START + 30 * 60_000 })),
      {
        taskId: 'sora_bare',
        bytes: 1,
        places: [{ target: origin.target, requesters: [] }],
        keptAt: DAY_START,
        prompt: '  ',
      },
    ];
    const answer = await listing(shelfOf(clips));
    assert.deepEqual(answer.page, {
      heading: '2 kept clips in this channel, newest first:',
      clips: [
        {
          taskId: 'vgen_1',
          modelName: 'VEO 3.1 Fast',
          clipSeconds: 8,
          madeAt: DAY_START + 30 * 60_000,
          prompt: long.replace(/\s+/g, ' ').trim(),
          page: `${PUBLIC}/vgen_1.token`,
          poster: `${PUBLIC}/vgen_1.token.jpg`,
        },
        {
          taskId: 'sora_bare',
          modelName: 'unknown model',
          madeAt: DAY_START,
          page: `${PUBLIC}/sora_bare.token`,
          poster: `${PUBLIC}/sora_bare.token.jpg`,
        },
      ],
      gallery: 'https://clips.example/gallery/slack%3AC0123',
    });
    // The text is the listing as before: the prompt cut to a line, the share page linked.
    const lines = answer.text.split('\n');
    assert.equal(lines[0], answer.page?.heading);
    assert.match(
      lines[1] as string,
      /^• VEO 3\.1 Fast, 8 s, 2026-12-01 00:30 UTC: “A kite festival seen from above, .{40,}…” https:\/\/clips\.example\/clips\/vgen_1\.token$/,
    );
    assert.equal(
      lines[3],
      "All of this channel's clips, as a gallery: https://clips.example/gallery/slack%3AC0123",
    );
  });

  it('pages ten at a time, with the next page as the text says it; no gallery for all', async () => {
    const shelf = shelfOf(keptClips(12));
    const first = await listing(shelf, 'all');
    assert.equal(first.page?.clips.length, 10);
    assert.deepEqual(
      first.page?.clips.map((clip) => clip.taskId),
      Array.from({ length: 10 }, (_, i) => `vgen_${12 - i}`),
    );
    assert.equal(first.page?.nextPage, 'page 1 of 2: /sora-clips all page 2');
    assert.equal(first.page?.gallery, undefined);
    assert.ok(first.text.endsWith('\npage 1 of 2: /sora-clips all page 2'));
    const second = await listing(shelf, 'all page 2');
    assert.deepEqual(
      second.page?.clips.map((clip) => clip.taskId),
      ['vgen_2', 'vgen_1'],
    );
    assert.equal(second.page?.nextPage, undefined);
  });

  it('gives no parts without share pages: the text links the messages, as before', async () => {
    const answer = await listing(shelfOf(keptClips(2), false));
    assert.equal(answer.page, undefined);
    assert.deepEqual(answer.text.split('\n'), [
      '2 kept clips in this channel, newest first:',
      '• VEO 3.1 Fast, 8 s, 2026-12-01 02:00 UTC: “clip number 2” https://slack.example/p2',
      '• VEO 3.1 Fast, 8 s, 2026-12-01 01:00 UTC: “clip number 1” https://slack.example/p1',
    ]);
  });

  it('gives no parts for a clip of the page without a share page, nor for an answer without clips', async () => {
    const shelf = shelfOf(keptClips(2));
    shelf.shareLink = (taskId) => (taskId === 'vgen_1' ? undefined : `${PUBLIC}/${taskId}.token`);
    assert.equal((await listing(shelf)).page, undefined);
    const none = await listing(shelfOf([]));
    assert.deepEqual(none, { text: 'No kept clips in this channel.' });
    const beyond = await listing(shelfOf(keptClips(2)), 'page 2');
    assert.deepEqual(beyond, {
      text: 'There is no page 2: the clips in this channel fill one page.',
    });
  });
});
