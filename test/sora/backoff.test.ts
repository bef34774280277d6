import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fullJitterDelay, parseRetryAfter } from '../../src/sora/backoff.ts';

describe('parseRetryAfter', () => {
  const now = Date.UTC(2026, 10, 29, 12, 0, 0);
  it('reads delay-seconds and HTTP dates', () => {
    assert.equal(parseRetryAfter('3', now), 3000);
    assert.equal(parseRetryAfter(' 0 ', now), 0);
    assert.equal(parseRetryAfter('1.5', now), 1500);
    assert.equal(parseRetryAfter('Sun, 29 Nov 2026 12:00:07 GMT', now), 7000);
    assert.equal(parseRetryAfter('Sun, 29 Nov 2026 11:00:00 GMT', now), 0, 'a past date means now');
  });
  it('ignores absent or unreadable values', () => {
    assert.equal(parseRetryAfter(undefined, now), undefined);
    assert.equal(parseRetryAfter('soon', now), undefined);
    assert.equal(parseRetryAfter('-5', now), undefined);
  });
});

describe('fullJitterDelay', () => {
  const policy = { baseMs: 1000, capMs: 8000 };
  it('picks uniformly below an exponentially growing, capped ceiling', () => {
    assert.deepEqual(
      [1, 2, 3, 4, 5, 9].map((attempt) => fullJitterDelay(attempt, policy, () => 0.999999)),
      [999, 1999, 3999, 7999, 7999, 7999],
    );
    assert.equal(
      fullJitterDelay(3, policy, () => 0),
      0,
    );
  });
});
