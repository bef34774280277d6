/**
 * The pieces behind Discord's card buttons that need no server: a button whose custom id
 * would pass Discord's 100 characters is left out, and a shared clip's message says who
 * shared it.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cardButtonRows } from '../../src/adapters/discord/card-buttons.ts';
import { resultText } from '../../src/adapters/discord/render.ts';
import { buildResultView } from '../../src/chat/result-view.ts';

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
