import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pollOutcomeOf } from '../../src/tracker/ports.ts';

describe('poll outcome labels', () => {
  it('counts a cancellation under one label, whichever the spelling, beside the others', () => {
    for (const spelling of ['cancelled', 'canceled', 'CANCELED']) {
      assert.equal(pollOutcomeOf(spelling), 'cancelled', spelling);
    }
    for (const status of ['queued', 'processing', 'completed', 'failed']) {
      assert.equal(pollOutcomeOf(status), status);
    }
    assert.equal(pollOutcomeOf('upscaling'), 'other');
    assert.equal(pollOutcomeOf('expired'), 'other');
  });
});
