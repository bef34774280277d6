/**
 * The buttons of cards, through the command handler every platform uses, with the real
 * tracker, creator and store: which buttons a card carries at each stage, who may press
 * which, and what each does, also after a restart (a new tracker on the same store).
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  actionId,
  type CardAction,
  readActionId,
  readSharePickerId,
  sharePickerId,
} from '../../src/chat/card-actions.ts';
import type { CommandOrigin } from '../../src/chat/commands.ts';
import { MemoryWatchStore } from '../../src/store/memory-watch-store.ts';
import { type FakeSoraApi, startFakeSoraApi } from '../fakes/sora-api.ts';
import { type FakeVideoCdn, startFakeVideoCdn } from '../fakes/video-cdn.ts';
import { startChatBot } from '../support/chat-bot.ts';
import { ManualClock } from '../support/manual-clock.ts';

const API_KEY = 'card-actions-key';
const clock = new ManualClock(Date.UTC(2026, 11, 1, 9, 0));
const store = new MemoryWatchStore(() => clock.now());
let api: FakeSoraApi;
let cdn: FakeVideoCdn;
let workDir: string;
let rigs = 0;

const ann: CommandOrigin = { target: 'test:studio', requester: 'ann' };
const bob: CommandOrigin = { target: 'test:studio', requester: 'bob' };
const boss: CommandOrigin = { target: 'test:studio', requester: 'boss' };

before(async () => {
  cdn = await startFakeVideoCdn();
  api = await startFakeSoraApi({
    apiKey: API_KEY,
    videoBaseUrl: cdn.baseUrl,
    now: () => clock.now(),
  });
  workDir = await mkdtemp(path.join(tmpdir(), 'sora-card-actions-'));
});
after(async () => {
  await Promise.all([api.close(), cdn.close()]);
  await rm(workDir, { recursive: true, force: true });
});

/** A bot on the shared store: starting a second one is a restart. */
async function startBot() {
  const { adapter, rig, handler } = await startChatBot({
    api: { baseUrl: api.baseUrl, apiKey: API_KEY },
    clock,
    store,
    rules: { allowed: 'everyone', admins: ['test:boss'], dailyVideos: 4 },
    downloadsDir: path.join(workDir, `downloads-${++rigs}`),
  });
  const press = (action: CardAction, taskId: string, origin: CommandOrigin) =>
    handler({ kind: 'action', action, taskId, origin });
  return { adapter, rig, handler, press };
}

const VEO = { model: 'veo_3_1_fast', prompt: 'A fox running through snow', aspect_ratio: '16:9' };

describe('card buttons', () => {
  it('encode only an action and a task id', () => {
    assert.equal(actionId('rerun', 'vgen_abc'), 'sora:rerun:vgen_abc');
    assert.deepEqual(readActionId('sora:edit:vgen_abc'), { action: 'edit', taskId: 'vgen_abc' });
    assert.equal(readActionId('sora:dance:vgen_abc'), undefined);
    assert.equal(readActionId('other:rerun:vgen_abc'), undefined);
    assert.equal(readSharePickerId(sharePickerId('vgen_abc')), 'vgen_abc');
  });

  it('Stop watching while running, for the asker or an admin; a stranger is refused politely', async () => {
    const { adapter, rig, handler, press } = await startBot();
    const made = await handler({ kind: 'create', request: VEO, origin: ann, key: 'stop-1' });
    const taskId = /Started (\S+)/.exec(made.text)?.[1] ?? '';
    const card = adapter.shownTo('test:studio').at(-1)?.view;
    assert.deepEqual(card?.actions, ['stop']);
    assert.equal(card?.parameters, 'VEO 3.1 Fast · 16:9 · 8 s · 720p');
    assert.equal(card?.prompt, 'A fox running through snow');

    const refused = await press('stop', taskId, bob);
    assert.deepEqual(refused, {
      text: `Sorry, only the person who asked for ${taskId}, or an admin of the bot, can stop watching it.`,
      private: true,
    });
    assert.equal(rig.tracker.list('test:studio').length, 1, 'still watched');
    assert.equal((await press('stop', taskId, boss)).text, `Stopped watching ${taskId} here.`);
    assert.equal(rig.tracker.list('test:studio').length, 0);
    await rig.close();
  });

  it('after the clip: Rerun, Edit & rerun, Share and Details, each working after a restart', async () => {
    const first = await startBot();
    const made = await first.handler({ kind: 'create', request: VEO, origin: ann, key: 'full-1' });
    const taskId = /Started (\S+)/.exec(made.text)?.[1] ?? '';
    await clock.stepUntil(
      () => first.adapter.delivered.some((d) => d.view.taskId === taskId),
      'the clip',
    );
    const card = () => first.adapter.shown.filter((s) => s.view.taskId === taskId).at(-1)?.view;
    await clock.stepUntil(() => card()?.tone === 'done', 'the finished card');
    assert.deepEqual(card()?.actions, ['rerun', 'edit', 'share', 'details']);
    await first.rig.close();

    const { adapter, rig, handler, press } = await startBot();
    const details = await press('details', taskId, bob);
    assert.equal(details.private, true);
    assert.match(
      details.text,
      new RegExp(`^Task ${taskId}\\nModel: VEO 3\\.1 Fast \\(veo_3_1_fast\\)\\nStatus: completed`),
    );
    assert.match(
      details.text,
      /\nParameters: VEO 3\.1 Fast · 16:9 · 8 s · 720p\nPrompt: A fox running through snow\nMade by: <@ann> on 2026-12-01 09:00 UTC\nAsked here by: <@ann>\nCreated: /,
    );

    assert.match((await press('rerun', taskId, bob)).text, /^Sorry, only the person who asked/);
    assert.match((await press('edit', taskId, bob)).text, /^Sorry, only the person who asked/);

    const before = api.creates.length;
    const [rerun, doubleClick] = await Promise.all([
      press('rerun', taskId, ann),
      press('rerun', taskId, ann),
    ]);
    assert.match(
      rerun.text,
      new RegExp(
        `^Started (\\S+) \\(VEO 3\\.1 Fast\\), a rerun of ${taskId}; watching it here\\.$`,
      ),
    );
    const rerunId = /Started (\S+)/.exec(rerun.text)?.[1];
    assert.equal(
      doubleClick.text,
      `That rerun was already started: it is ${rerunId} (VEO 3.1 Fast), watched here.`,
    );
    assert.equal(api.creates.length - before, 1, 'a double click makes one video');
    assert.deepEqual(api.creates.at(-1)?.body, {
      model: 'veo_3_1_fast',
      prompt: 'A fox running through snow',
      aspect_ratio: '16:9',
    });
    await clock.advance(31_000);
    assert.match(
      (await press('rerun', taskId, ann)).text,
      /^Started /,
      'a later press is a new rerun',
    );
    await clock.advance(31_000);
    const limited = await press('rerun', taskId, ann);
    assert.match(
      limited.text,
      /^You have made 4 videos today, your daily limit of 4\./,
      'a rerun counts as a create',
    );

    const edit = await press('edit', taskId, ann);
    assert.deepEqual(edit.form, {
      model: 'veo_3_1_fast',
      prompt: 'A fox running through snow',
      orientation: '16:9',
    });

    const share = await press('share', taskId, bob);
    assert.deepEqual(share.sharePicker, { taskId });
    const shared = await handler({ kind: 'share', taskId, origin: bob, to: 'test:review' });
    assert.match(shared.text, /^Sharing .* there/);
    await clock.stepUntil(
      () => adapter.delivered.some((d) => d.target === 'test:review'),
      'the shared clip',
    );
    const there = adapter.delivered.find((d) => d.target === 'test:review');
    assert.equal(there?.kind, 'video');
    assert.deepEqual(there?.requesters, [], 'nobody is mentioned there');
    assert.ok(
      !adapter.delivered.some((d) => d.target === 'test:studio' && d.view.taskId === taskId),
      'the first place gets nothing again',
    );
    assert.equal(
      (await handler({ kind: 'share', taskId, origin: bob, to: 'slack:C1' })).text,
      'A clip can be shared to a channel of the same platform only.',
    );
    await rig.close();
  });

  it('hides Rerun for a task the bot did not make, and says so if pressed', async () => {
    const { adapter, rig, handler, press } = await startBot();
    api.addTask({ id: 'vgen_elsewhere', model: 'veo_3_1_fast', outcome: 'failed' });
    await handler({ kind: 'status', taskId: 'vgen_elsewhere', origin: ann });
    await clock.stepUntil(
      () => adapter.delivered.some((d) => d.view.taskId === 'vgen_elsewhere'),
      'the failure',
    );
    // The store is shared with the tests before: their reruns still show cards here.
    const card = () =>
      adapter
        .shownTo('test:studio')
        .filter((s) => s.view.taskId === 'vgen_elsewhere')
        .at(-1);
    await clock.stepUntil(() => card()?.view.tone === 'failed', 'the failed card');
    assert.deepEqual(card()?.view.actions, ['details']);
    assert.equal(
      (await press('rerun', 'vgen_elsewhere', ann)).text,
      'The bot does not know how vgen_elsewhere was made, so it cannot make it again.',
    );
    assert.equal(
      (await press('share', 'vgen_elsewhere', ann)).text,
      'vgen_elsewhere has no clip to share.',
    );
    assert.match(
      (await press('details', 'vgen_unknown', ann)).text,
      /^The bot has no record of vgen_unknown any more/,
    );
    await rig.close();
  });
});
