import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CreateDrafts } from '../../src/adapters/discord/create-drafts.ts';
import { ManualClock } from '../support/manual-clock.ts';

const FOX = { model: 'veo_3_1_fast', prompt: 'A fox in the snow', seconds: '8' };

describe('CreateDrafts', () => {
  it('gives back a copy of what was kept, for an hour', async () => {
    const clock = new ManualClock();
    const drafts = new CreateDrafts(() => clock.now());
    const id = drafts.keep(FOX);
    assert.ok(id.length <= 50, 'fits a button custom id with its prefix');
    const draft = drafts.get(id);
    assert.deepEqual(draft, FOX);
    if (draft) draft.prompt = 'changed';
    assert.equal(drafts.get(id)?.prompt, 'A fox in the snow', 'a copy each time');

    await clock.advance(60 * 60_000 - 1);
    assert.ok(drafts.get(id), 'still there just before the hour');
    await clock.advance(1);
    assert.equal(drafts.get(id), undefined, 'gone after an hour');
    assert.equal(drafts.size, 0, 'and forgotten');
    assert.equal(drafts.get('never-kept'), undefined);
  });

  it('keeps at most its bound, letting the oldest go first', () => {
    const drafts = new CreateDrafts(() => 0, { maxDrafts: 2 });
    const first = drafts.keep({ ...FOX, prompt: 'first' });
    const second = drafts.keep({ ...FOX, prompt: 'second' });
    const third = drafts.keep({ ...FOX, prompt: 'third' });
    assert.equal(drafts.size, 2);
    assert.equal(drafts.get(first), undefined);
    assert.equal(drafts.get(second)?.prompt, 'second');
    assert.equal(drafts.get(third)?.prompt, 'third');
  });
});
