import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  displayName,
  documentedTimes,
  familyOf,
  MODELS,
  modelInfo,
} from '../../src/models/index.ts';

const MIN = 60_000;

describe('model catalogue', () => {
  it('names the documented models as people do', () => {
    assert.equal(displayName('veo_3_1_fast'), 'VEO 3.1 Fast');
    assert.equal(displayName('openAiSora2Pro'), 'Sora 2 Pro');
    assert.equal(displayName('seedance_2_0_fast'), 'Seedance 2.0 Fast');
    assert.equal(displayName('videos'), 'Videos');
  });

  it('infers the family from the model, with its own id as the name when it has no entry', () => {
    assert.equal(familyOf('doubao-seedance-1-5-pro-251215'), 'seedance');
    assert.equal(displayName('doubao-seedance-1-5-pro-251215'), 'doubao-seedance-1-5-pro-251215');
    assert.equal(familyOf('grok-video-1'), 'grok');
    assert.equal(familyOf('vidu-q2'), 'vidu');
    assert.equal(familyOf('veo_3_1_pro'), 'veo');
  });

  it('gives an unknown model its raw id and a wide generic prior', () => {
    const info = modelInfo('brand-new-model');
    assert.equal(info.displayName, 'brand-new-model');
    assert.equal(info.family, 'other');
    assert.equal(info.known, false);
    const [time] = documentedTimes(info);
    assert.ok(time !== undefined && time.totalMs[1] - time.totalMs[0] >= 8 * MIN);
  });

  it('knows a VEO clip is always 8 s', () => {
    const info = modelInfo('veo_3_1_fast');
    assert.deepEqual(info.clips.choices, [8]);
    assert.deepEqual(info.typicalClips, [8]);
  });

  it('reads the documented time for a clip length, a resolution, or both unknown', () => {
    const sora = modelInfo('openAiSora2Plus');
    assert.deepEqual(
      documentedTimes(sora, 8).map((t) => t.totalMs),
      [[2 * MIN, 5 * MIN]],
    );
    // A length the docs do not list takes the nearest documented one's time.
    assert.deepEqual(
      documentedTimes(sora, 10).map((t) => t.totalMs),
      [
        [2 * MIN, 5 * MIN],
        [3 * MIN, 8 * MIN],
      ],
    );
    const seedance = modelInfo('seedance_2_0');
    assert.deepEqual(
      documentedTimes(seedance, 10, '1080p').map((t) => t.totalMs),
      [[3 * MIN, 8 * MIN]],
    );
    assert.equal(documentedTimes(seedance, 10).length, 2);
    const grok = modelInfo('grok-video');
    assert.deepEqual(
      documentedTimes(grok, 30).map((t) => t.totalMs),
      [[4 * MIN, 8 * MIN]],
    );
    // Mode-specific times (reference images, first/last frame) are not the usual one.
    assert.equal(documentedTimes(modelInfo('veo_3_1_pro')).length, 1);
  });

  it('has, for every entry, a name, a time for each typical clip and sensible ranges', () => {
    for (const [id, entry] of Object.entries(MODELS)) {
      assert.ok(entry.displayName.length > 0, id);
      for (const clip of entry.typicalClips) {
        assert.ok(clip >= entry.clips.min && clip <= entry.clips.max, `${id} ${clip}`);
        assert.ok(documentedTimes(modelInfo(id), clip).length > 0, `${id} ${clip}`);
      }
      for (const time of entry.times) assert.ok(time.totalMs[0] < time.totalMs[1], id);
    }
  });
});
