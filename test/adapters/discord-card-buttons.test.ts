/**
 * The pieces behind Discord's card buttons that need no server: a button whose custom id
 * would pass Discord's 100 characters is left out, the ended card's buttons are kept for its
 * result only while that result is to come (and only so many), and a shared clip's message
 * says who shared it.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cardButtonRows } from '../../src/adapters/discord/card-buttons.ts';
import { EndedButtons } from '../../src/adapters/discord/ended-buttons.ts';
import { resultText } from '../../src/adapters/discord/render.ts';
import { buildResultView } from '../../src/chat/result-view.ts';
import type { StatusView } from '../../src/chat/status-view.ts';

function view(taskId: string, tone: StatusView['tone'], extra: Partial<StatusView> = {}) {
  return {
    taskId,
    status: tone === 'done' ? 'completed' : 'processing',
    tone,
    startedAt: 0,
    elapsedMs: 0,
    progressBar: '',
    requesters: [],
    ...extra,
  } satisfies StatusView;
}

describe('Discord card buttons', () => {
  it('leaves out a button whose id would not fit in 100 characters', () => {
    const fits = 'vgen_abc123';
    const [row] = cardButtonRows(fits, ['rerun', 'details']);
    assert.deepEqual(
      row?.components.map((b) => b.custom_id),
      ['sora:rerun:vgen_abc123', 'sora:details:vgen_abc123'],
    );
    // "sora:stop:" and 90 characters fit; "sora:details:" and 90 do not.
    const long = `vgen_${'x'.repeat(85)}`;
    assert.deepEqual(
      cardButtonRows(long, ['stop', 'details'])[0]?.components.map((b) => b.label),
      ['Stop watching'],
    );
    assert.deepEqual(cardButtonRows(`vgen_${'x'.repeat(120)}`, ['details']), [], 'no empty row');
    assert.deepEqual(cardButtonRows(fits, undefined), []);
  });

  it("keeps an ended card's buttons until its result is posted", () => {
    const kept = new EndedButtons(2);
    kept.noteShown('1', view('vgen_a', 'running', { actions: ['stop'] }));
    assert.deepEqual(kept.of('vgen_a', '1'), [], 'a running card gives none');
    kept.noteShown('1', view('vgen_a', 'done', { actions: ['share', 'details'] }));
    assert.deepEqual(kept.of('vgen_a', '1'), ['share', 'details']);
    assert.deepEqual(kept.of('vgen_a', '2'), [], 'per channel');
    kept.forget('vgen_a', '1');
    assert.deepEqual(kept.of('vgen_a', '1'), []);

    // A card that already links to its result has had it posted.
    kept.noteShown('1', view('vgen_a', 'done', { actions: ['details'], resultLink: 'https://x' }));
    assert.deepEqual(kept.of('vgen_a', '1'), []);

    // Bounded: the card noted longest ago goes first.
    for (const id of ['vgen_b', 'vgen_c', 'vgen_d']) {
      kept.noteShown('1', view(id, 'failed', { actions: ['details'] }));
    }
    assert.deepEqual(kept.of('vgen_b', '1'), []);
    assert.deepEqual(kept.of('vgen_d', '1'), ['details']);
  });

  it('says who shared a clip, without a link when the original is unknown', () => {
    const video = {
      task: {
        id: 'vgen_a',
        object: 'video',
        created: 0,
        model: 'veo_3_1_fast',
        status: 'completed',
      },
      file: { path: '/tmp/vgen_a.mp4', bytes: 4096 },
    };
    const shared = (from?: string) =>
      resultText(
        buildResultView({ requesters: [], shared: { by: '42', ...(from ? { from } : {}) } }, video),
      );
    assert.equal(shared(), 'Video task vgen_a is ready (VEO 3.1 Fast). Shared by <@42>.');
    assert.equal(
      shared('https://discord.com/channels/1/2/3'),
      'Video task vgen_a is ready (VEO 3.1 Fast). Shared by <@42> from https://discord.com/channels/1/2/3',
    );
  });
});
