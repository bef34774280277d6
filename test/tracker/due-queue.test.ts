import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type DueEntry, DueQueue } from '../../src/tracker/due-queue.ts';

describe('DueQueue', () => {
  it('pops entries in due order, however they were pushed', () => {
    const queue = new DueQueue();
    // A fixed scramble of 1,000 due times, duplicates included.
    const times = Array.from({ length: 1000 }, (_, i) => (i * 7919) % 613);
    for (const [i, at] of times.entries()) queue.push({ at, taskId: `t${i}`, job: 'poll' });
    assert.equal(queue.size, 1000);
    const popped: number[] = [];
    for (let entry = queue.pop(); entry; entry = queue.pop()) popped.push(entry.at);
    assert.deepEqual(
      popped,
      [...times].sort((a, b) => a - b),
    );
    assert.equal(queue.peek(), undefined);
  });

  it('shows the earliest entry without removing it', () => {
    const queue = new DueQueue();
    const late: DueEntry = { at: 20, taskId: 'late', job: 'poll' };
    const early: DueEntry = { at: 10, taskId: 'early', job: 'finish' };
    queue.push(late);
    queue.push(early);
    assert.equal(queue.peek(), early);
    assert.equal(queue.size, 2);
  });
});
