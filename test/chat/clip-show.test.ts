/**
 * `/sora-show`: a kept clip posted in a place again from the clip library, with its buttons,
 * after the service's link is dead; a clip the library does not keep is said plainly.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseCommand } from '../../src/chat/commands.ts';
import { silentLogger } from '../../src/log.ts';
import { StoredClipLibrary } from '../../src/media/clip-library.ts';
import { FolderMediaStore } from '../../src/media/folder-media-store.ts';
import { MemoryWatchStore } from '../../src/store/memory-watch-store.ts';
import { type FakeSoraApi, startFakeSoraApi } from '../fakes/sora-api.ts';
import { type FakeVideoCdn, FIXTURE, startFakeVideoCdn } from '../fakes/video-cdn.ts';
import { type ChatBot, startChatBot } from '../support/chat-bot.ts';
import { ManualClock } from '../support/manual-clock.ts';

const API_KEY = 'clip-show-key';
const clock = new ManualClock(Date.UTC(2026, 11, 1, 9, 0));
let api: FakeSoraApi;
let cdn: FakeVideoCdn;
let workDir: string;
let bot: ChatBot;

before(async () => {
  cdn = await startFakeVideoCdn();
  api = await startFakeSoraApi({
    apiKey: API_KEY,
    videoBaseUrl: cdn.baseUrl,
    now: () => clock.now(),
  });
  workDir = await mkdtemp(path.join(tmpdir(), 'sora-clip-show-'));
  bot = await startChatBot({
    api: { baseUrl: api.baseUrl, apiKey: API_KEY },
    clock,
    store: new MemoryWatchStore(() => clock.now()),
    rules: { allowed: 'everyone', admins: [], dailyVideos: 10 },
    downloadsDir: path.join(workDir, 'downloads'),
    library: new StoredClipLibrary({
      store: new FolderMediaStore(path.join(workDir, 'library')),
      clock,
      logger: silentLogger,
    }),
  });
});
after(async () => {
  await bot.close();
  await Promise.all([api.close(), cdn.close(), rm(workDir, { recursive: true, force: true })]);
});

const ann = { target: 'test:studio', requester: 'ann' };
const bob = { target: 'test:review', requester: 'bob' };

describe('/sora-show', () => {
  it('posts a kept clip in another place from the library, with its buttons, once the service link is dead', async () => {
    const made = await bot.handler(parseCommand('sora-create', 'a kite over the sea', ann));
    const taskId = /Started (\S+)/.exec(made.text)?.[1] ?? '';
    await clock.stepUntil(() => bot.rig.tracker.activeCount === 0, 'the clip delivered and kept');
    api.addTask({ id: taskId, model: 'veo_3_1_fast', videoUrl: `${cdn.baseUrl}/gone.mp4` });

    const shown = await bot.handler(parseCommand('sora-show', taskId, bob));
    assert.deepEqual(shown, {
      text: `Posting ${taskId} here again from the clip library.`,
      private: true,
    });
    await clock.stepUntil(
      () => bot.adapter.delivered.some((d) => d.target === 'test:review'),
      'the clip in the other place',
    );
    const there = bot.adapter.delivered.find((d) => d.target === 'test:review');
    assert.deepEqual(there?.bytes, FIXTURE, 'the kept clip, not the dead link');
    assert.deepEqual(there?.view.actions, ['rerun', 'edit', 'share', 'details']);
    assert.equal(
      bot.adapter.delivered.filter((d) => d.target === 'test:studio').length,
      1,
      'the first place gets nothing again',
    );
  });

  it('says plainly when the library does not keep the clip, and checks the id', async () => {
    const missing = await bot.handler(parseCommand('sora-show', 'vgen_never', bob));
    assert.match(
      missing.text,
      /^vgen_never is not in the clip library: .* \/sora-clips lists what is kept\.$/,
    );
    assert.throws(
      () => parseCommand('sora-show', '', bob),
      /Give a task id, like \/sora-show vgen_abc123/,
    );
  });
});
