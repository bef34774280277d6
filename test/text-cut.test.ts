import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cutText, oneLine } from '../src/text-cut.ts';

describe('cutText', () => {
  it('leaves text that fits, and cuts the rest to the limit with an ellipsis', () => {
    assert.equal(cutText('a kite', 6), 'a kite');
    assert.equal(cutText('a kite over the sea', 6), 'a kit…');
    assert.equal(cutText('a kite over the sea', 6).length, 6);
  });

  it('never keeps half of a character outside the Basic Multilingual Plane', () => {
    const cut = cutText('🪁🪁🪁🪁', 6); // each kite is two UTF-16 units
    assert.equal(cut, '🪁🪁…');
    assert.ok(cut.length <= 6);
  });
});

describe('oneLine', () => {
  it('makes lines and runs of spaces single spaces', () => {
    assert.equal(oneLine('  Dawn over\nthe   harbour\t '), 'Dawn over the harbour');
  });
});
