/**
 * `/sora-clips`: the parser's scopes, model words, search words and pages, and the listing
 * through the command handler every platform uses, against a real clip library in a folder.
 */
import assert from 'node:assert/strict';
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createCommandHandler } from '../../src/chat/command-handler.ts';
import { CommandError, type CommandOrigin, parseCommand } from '../../src/chat/commands.ts';
import type { CommandHandler } from '../../src/chat/port.ts';
import { silentLogger } from '../../src/log.ts';
import { StoredClipLibrary } from '../../src/media/clip-library.ts';
import { FolderMediaStore } from '../../src/media/folder-media-store.ts';
import { MemoryWatchStore } from '../../src/store/memory-watch-store.ts';
import type { ClipPlace } from '../../src/watch/kept-clip.ts';
import { galleryLink, shareLink } from '../../src/web/clip-token.ts';
import { type FakeSoraApi, startFakeSoraApi } from '../fakes/sora-api.ts';
import { type ChatBot, startChatBot } from '../support/chat-bot.ts';
import { TINY_MP4 } from '../support/folder-clip-library.ts';
import { ManualClock } from '../support/manual-clock.ts';

const anna: CommandOrigin = { target: 'slack:C0123', requester: 'U0ANNA' };

function filterOf(text: string) {
  const command = parseCommand('sora-clips', text, anna);
  assert.equal(command.kind, 'clips');
  return command.filter;
}

describe('parsing /sora-clips', () => {
  it("reads this channel's clips, page 1, when nothing is given", () => {
    assert.deepEqual(filterOf(''), { scope: 'channel', words: [], page: 1 });
  });

  it('reads mine and all as the first word only', () => {
    assert.equal(filterOf('mine').scope, 'mine');
    assert.equal(filterOf('ALL').scope, 'all');
    assert.deepEqual(filterOf('kite all'), { scope: 'channel', words: ['kite', 'all'], page: 1 });
  });

  it('reads a model id, a display name or a family as the model, the other words as search words', () => {
    assert.deepEqual(filterOf('all veo_3_1_fast Kite sea'), {
      scope: 'all',
      model: { kind: 'model', id: 'veo_3_1_fast', word: 'veo_3_1_fast' },
      words: ['kite', 'sea'],
      page: 1,
    });
    assert.deepEqual(filterOf('kite veo').model, { kind: 'family', family: 'veo', word: 'veo' });
    assert.deepEqual(filterOf('Sora').model, { kind: 'family', family: 'sora', word: 'Sora' });
    assert.deepEqual(filterOf('sora-2-pro').model, {
      kind: 'model',
      id: 'openAiSora2Pro',
      word: 'sora-2-pro',
    });
    // One model: a second model word is searched for in the prompt.
    assert.deepEqual(filterOf('veo sora').words, ['sora']);
  });

  it('reads "page N" at the end; a "page" elsewhere is a search word', () => {
    assert.deepEqual(filterOf('mine cat page 3'), {
      scope: 'mine',
      words: ['cat'],
      page: 3,
    });
    assert.deepEqual(filterOf('page turner').words, ['page', 'turner']);
  });

  it('refuses a page that is not a number from 1, with a sentence saying how', () => {
    const refused = (text: string, message: RegExp) =>
      assert.throws(
        () => parseCommand('sora-clips', text, anna),
        (error: unknown) => {
          assert.ok(error instanceof CommandError);
          assert.match(error.message, message);
          return true;
        },
      );
    refused('kite page', /^Give the page number, like \/sora-clips page 2\./);
    refused('page 0', /^"0" is not a page number; pages count from 1, like page 2\.$/);
    refused('page 2.5', /"2\.5" is not a page number/);
    refused('page -1', /"-1" is not a page number/);
    refused('page 99999999', /"99999999" is not a page number/);
  });
});

describe('listing /sora-clips', () => {
  const API_KEY = 'clips-key';
  const PUBLIC_URL = 'https://clips.example';
  const SECRET = 'clips-link-secret';
  const clock = new ManualClock(Date.UTC(2026, 11, 1, 12, 0));
  const libraryClock = new ManualClock(Date.UTC(2026, 11, 1, 9, 0));
  let api: FakeSoraApi;
  let bot: ChatBot;
  let workDir: string;
  let library: StoredClipLibrary;
  /** With share links, as with PUBLIC_URL set. */
  let handler: CommandHandler;
  /** Without: the message links of the places. */
  let plainHandler: CommandHandler;

  const link = (taskId: string) => shareLink(PUBLIC_URL, taskId, SECRET);
  const ask = async (text: string, origin = anna, on = handler) => {
    const reply = await on(parseCommand('sora-clips', text, origin));
    assert.equal(reply.private, true);
    return reply.text;
  };

  /** Keeps the fixture clip a minute after the one before. */
  async function keep(
    taskId: string,
    facts: { model?: string; prompt?: string; clipSeconds?: number; places: ClipPlace[] },
  ): Promise<void> {
    await libraryClock.advance(60_000);
    const file = path.join(workDir, 'downloads', `${taskId}.mp4`);
    await copyFile(TINY_MP4, file);
    await library.keep(file, { taskId, ...facts });
  }

  before(async () => {
    api = await startFakeSoraApi({ apiKey: API_KEY, now: () => clock.now() });
    workDir = await mkdtemp(path.join(tmpdir(), 'sora-clips-'));
    await mkdir(path.join(workDir, 'downloads'));
    library = new StoredClipLibrary({
      store: new FolderMediaStore(path.join(workDir, 'library')),
      clock: libraryClock,
      logger: silentLogger,
    });
    bot = await startChatBot({
      api: { baseUrl: api.baseUrl, apiKey: API_KEY },
      clock,
      store: new MemoryWatchStore(() => clock.now()),
      rules: { allowed: 'everyone', admins: [], dailyVideos: 10 },
      downloadsDir: path.join(workDir, 'tracker-downloads'),
      platform: 'slack',
      clips: {
        list: () => library.list(),
        shareLink: link,
        galleryLink: (target) => galleryLink(PUBLIC_URL, target, SECRET),
      },
    });
    handler = bot.handler;
    plainHandler = createCommandHandler(bot.rig.tracker, silentLogger, undefined, undefined, {
      list: () => library.list(),
    });

    // 09:01 … 09:04, then twelve more in another channel.
    await keep('vgen_kite', {
      model: 'veo_3_1_fast',
      prompt: 'A kite over the sea at dawn',
      clipSeconds: 8,
      places: [{ target: 'slack:C0123', link: 'https://slack.example/p1', requesters: ['U0ANNA'] }],
    });
    await keep('sora_cat', {
      model: 'openAiSora2Pro',
      prompt: 'a cat on a skateboard',
      clipSeconds: 12,
      places: [{ target: 'slack:C0OTHER', requesters: ['U0ANNA'] }],
    });
    await keep('video_festival', {
      model: 'seedance_2_0',
      prompt: `A kite festival\nseen from above, ${'with hundreds of colourful kites '.repeat(3)}`,
      places: [
        { target: 'slack:C0123', requesters: ['U0BEN'] },
        // Anna's id on another platform is someone else.
        { target: 'discord:100', requesters: ['U0ANNA'] },
      ],
    });
    await keep('vgen_intake', { model: 'veo_3_1_pro', places: [] });
    for (let n = 1; n <= 12; n += 1) {
      await keep(`vgen_many_${n}`, {
        model: 'veo_3_1_fast',
        prompt: `clip number ${n}`,
        clipSeconds: 8,
        places: [{ target: 'slack:C0MANY', requesters: ['U0CAL'] }],
      });
    }
  });
  after(async () => {
    await bot.close();
    await api.close();
    await rm(workDir, { recursive: true, force: true });
  });

  it("lists this channel's clips, newest first, with the model, length, when, the prompt cut short and the share link", async () => {
    assert.equal(
      await ask(''),
      [
        '2 kept clips in this channel, newest first:',
        `• Seedance 2.0, 2026-12-01 09:03 UTC: “A kite festival seen from above, with hundreds of colourful kites with hundreds…” ${link('video_festival')}`,
        `• VEO 3.1 Fast, 8 s, 2026-12-01 09:01 UTC: “A kite over the sea at dawn” ${link('vgen_kite')}`,
        `All of this channel's clips, as a gallery: ${galleryLink(PUBLIC_URL, 'slack:C0123', SECRET)}`,
      ].join('\n'),
    );
  });

  it("links the first place's message when there are no share pages", async () => {
    assert.equal(
      await ask('', anna, plainHandler),
      [
        '2 kept clips in this channel, newest first:',
        '• Seedance 2.0, 2026-12-01 09:03 UTC: “A kite festival seen from above, with hundreds of colourful kites with hundreds…”',
        '• VEO 3.1 Fast, 8 s, 2026-12-01 09:01 UTC: “A kite over the sea at dawn” https://slack.example/p1',
      ].join('\n'),
    );
  });

  it("lists mine by the asker's id on the same platform, and all of them", async () => {
    const mine = await ask('mine');
    assert.match(mine, /^2 kept clips you asked for, newest first:\n/);
    assert.match(mine, /Sora 2 Pro, 12 s, 2026-12-01 09:02 UTC: “a cat on a skateboard”/);
    assert.match(mine, /VEO 3\.1 Fast, 8 s, 2026-12-01 09:01 UTC/);
    assert.doesNotMatch(mine, /kite festival/);
    const ben = await ask('mine', { target: 'slack:C0999', requester: 'U0BEN' });
    assert.match(ben, /^1 kept clip you asked for, newest first:\n• Seedance 2\.0/);
    const all = await ask('all');
    assert.match(all, /^16 kept clips in the library, newest first:\n/);
    assert.match(all, /\npage 1 of 2: \/sora-clips all page 2$/);
  });

  it('filters by a model, a family and words of the prompt, in any case', async () => {
    const kites = await ask('all KITE');
    assert.match(kites, /^2 kept clips in the library, with “kite” in the prompt, newest first:/);
    const veoKites = await ask('all veo kite sea');
    assert.match(
      veoKites,
      /^1 kept clip in the library, made with VEO, with “kite” and “sea” in the prompt, newest first:\n• VEO 3\.1 Fast, 8 s, /,
    );
    const pro = await ask('all veo_3_1_pro');
    assert.match(pro, /^1 kept clip in the library, made with VEO 3\.1 Pro, newest first:\n/);
    assert.match(
      pro,
      /• VEO 3\.1 Pro, 2026-12-01 09:04 UTC: \(no prompt\) https:\/\/clips\.example\//,
    );
    assert.match(await ask('all sora'), /^1 kept clip .*\n• Sora 2 Pro, /);
  });

  it('pages ten at a time, saying how to reach the next page', async () => {
    const many = { target: 'slack:C0MANY', requester: 'U0CAL' };
    const first = (await ask('veo clip', many)).split('\n');
    assert.equal(first.length, 13, 'a heading, ten clips, the next page, the gallery');
    assert.equal(
      first[0],
      '12 kept clips in this channel, made with VEO, with “clip” in the prompt, newest first:',
    );
    assert.match(first[1] as string, /“clip number 12”/);
    assert.match(first[10] as string, /“clip number 3”/);
    assert.equal(first[11], 'page 1 of 2: /sora-clips veo clip page 2');
    const second = (await ask('veo clip page 2', many)).split('\n');
    assert.equal(second.length, 4, 'the last page says no next page');
    assert.match(second[2] as string, /“clip number 1”/);
    assert.equal(
      await ask('page 3', many),
      'There is no page 3: the clips in this channel fill 2 pages.',
    );
  });

  it('says what was searched when nothing is found', async () => {
    assert.equal(
      await ask('mine grok dragon'),
      'No kept clips you asked for, made with Grok, with “dragon” in the prompt.',
    );
    assert.equal(
      await ask('', { target: 'slack:C0EMPTY', requester: 'U0ANNA' }),
      'No kept clips in this channel.',
    );
  });
});
