import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DueEntry } from '../../src/tracker/due-queue.ts';
import { DueTimer } from '../../src/tracker/due-timer.ts';
import { ManualClock, settle } from '../support/manual-clock.ts';

function timerWith(mayRun: (entry: DueEntry) => boolean = () => true) {
  const clock = new ManualClock(0);
  const stop = new AbortController();
  const ran: string[] = [];
  const timer = new DueTimer({
    clock,
    signal: stop.signal,
    mayRun,
    run: (entry) => ran.push(`${entry.taskId}@${clock.now()}`),
  });
  return { clock, stop, ran, timer };
}

describe('DueTimer', () => {
  it('runs each entry at its due time, in due order, on one sleep at a time', async () => {
    const { clock, stop, ran, timer } = timerWith();
    timer.push({ taskId: 'b', at: 2_000, job: 'poll' });
    timer.push({ taskId: 'a', at: 1_000, job: 'poll' });
    timer.start();
    await settle();
    assert.equal(clock.pending, 1, 'one sleep');
    assert.equal(clock.nextDue, 1_000);
    // An earlier entry cuts the sleep short.
    timer.push({ taskId: 'c', at: 500, job: 'finish' });
    await settle();
    assert.equal(clock.nextDue, 500);
    await clock.advance(2_000);
    assert.deepEqual(ran, ['c@500', 'a@1000', 'b@2000']);
    stop.abort();
    await timer.stopped();
    assert.equal(clock.pending, 0);
  });

  it('holds an entry that may not run yet until woken', async () => {
    let slots = 0;
    const { clock, stop, ran, timer } = timerWith(() => slots > 0);
    timer.push({ taskId: 'a', at: 0, job: 'poll' });
    timer.start();
    await clock.advance(10_000);
    assert.deepEqual(ran, [], 'no slot: waits however long');
    slots = 1;
    timer.wake();
    await settle();
    assert.deepEqual(ran, ['a@10000']);
    stop.abort();
    await timer.stopped();
  });
});
