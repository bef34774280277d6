import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { CreateDrafts } from '../../src/adapters/discord/create-drafts.ts';
import { MemoryWatchStore } from '../../src/store/memory-watch-store.ts';
import { openWatchStore } from '../../src/store/open-store.ts';
import { ManualClock } from '../support/manual-clock.ts';

const FOX = { model: 'veo_3_1_fast', prompt: 'A fox in the snow', seconds: '8' };

describe('CreateDrafts', () => {
  it('gives back a copy of what was kept, for an hour', async () => {
    const clock = new ManualClock();
    const drafts = new CreateDrafts(new MemoryWatchStore(() => clock.now()));
    const id = await drafts.keep(FOX);
    assert.ok(id.length <= 50, 'fits a button custom id with its prefix');
    const draft = await drafts.get(id);
    assert.deepEqual(draft, FOX);
    if (draft) draft.prompt = 'changed';
    assert.equal((await drafts.get(id))?.prompt, 'A fox in the snow', 'a copy each time');

    await clock.advance(60 * 60_000 - 1);
    assert.ok(await drafts.get(id), 'still there just before the hour');
    await clock.advance(1);
    assert.equal(await drafts.get(id), undefined, 'gone after an hour');
    assert.equal(await drafts.get('never-kept'), undefined);
  });

  it('outlives a restart: a draft kept in the store is there for the next bot', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'sora-drafts-'));
    try {
      const url = `sqlite://${path.join(dir, 'bot.sqlite')}`;
      const before = await openWatchStore(url);
      const id = await new CreateDrafts(before).keep({
        ...FOX,
        image: 'https://img.example/f.png',
      });
      await before.close();
      const after = await openWatchStore(url);
      assert.deepEqual(await new CreateDrafts(after).get(id), {
        ...FOX,
        image: 'https://img.example/f.png',
      });
      await after.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
