import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RequestRateCap } from '../../src/sora/rate-cap.ts';
import { ManualClock, settle } from '../support/manual-clock.ts';

/** Largest number of start times that fall in any half-open window of `windowMs`. */
function busiestWindow(starts: number[], windowMs: number): number {
  let busiest = 0;
  for (const [i, start] of starts.entries()) {
    const inWindow = starts.slice(i).filter((t) => t < start + windowMs).length;
    busiest = Math.max(busiest, inWindow);
  }
  return busiest;
}

describe('RequestRateCap', () => {
  it('spaces requests evenly at the cap, the first at once', async () => {
    const clock = new ManualClock();
    const cap = new RequestRateCap(5, clock, { jitterMarginMs: 0 });
    const starts: number[] = [];
    const callers = Array.from({ length: 12 }, () =>
      cap.acquire().then(() => starts.push(clock.now())),
    );
    await settle();
    assert.equal(starts.length, 1);
    await clock.advance(1000);
    assert.equal(starts.length, 6);
    await clock.advance(1200);
    await Promise.all(callers);
    const t0 = starts[0] as number;
    assert.deepEqual(
      starts.map((t) => t - t0),
      [0, 200, 400, 600, 800, 1000, 1200, 1400, 1600, 1800, 2000, 2200],
    );
    assert.equal(cap.released, 12);
    assert.equal(cap.waiting, 0);
  });

  it('never exceeds the cap in any one-second window under 1,000 staggered callers', async () => {
    const clock = new ManualClock();
    const cap = new RequestRateCap(7, clock, { jitterMarginMs: 0 });
    const starts: number[] = [];
    const callers: Promise<unknown>[] = [];
    for (let i = 0; i < 1000; i += 1) {
      callers.push(cap.acquire().then(() => starts.push(clock.now())));
      if (i % 13 === 0) {
        await settle(); // let callers released just now record the current time
        await clock.advance(37);
      }
    }
    await settle();
    while (cap.waiting > 0) await clock.advance(50);
    await Promise.all(callers);
    assert.equal(starts.length, 1000);
    assert.equal(busiestWindow(starts, 1000), 7);
    assert.ok(starts.slice(1).every((t, i) => t - (starts[i] as number) >= 1000 / 7 - 1e-9));
    // Waiting callers keep arrival order.
    assert.deepEqual(
      starts,
      [...starts].sort((a, b) => a - b),
    );
  });

  it('spaces requests evenly for a fractional rate', async () => {
    const clock = new ManualClock();
    const cap = new RequestRateCap(0.5, clock, { jitterMarginMs: 0 });
    const starts: number[] = [];
    const callers = [0, 1, 2].map(() => cap.acquire().then(() => starts.push(clock.now())));
    await settle();
    await clock.advance(4000);
    await Promise.all(callers);
    const t0 = starts[0] as number;
    assert.deepEqual(
      starts.map((t) => t - t0),
      [0, 2000, 4000],
    );
  });

  it('drops a waiter whose signal aborts, without giving it a slot', async () => {
    const clock = new ManualClock();
    const cap = new RequestRateCap(1, clock, { jitterMarginMs: 0 });
    await cap.acquire();
    const controller = new AbortController();
    const abandoned = cap.acquire(controller.signal);
    const next = cap.acquire();
    controller.abort(new Error('stopped'));
    await assert.rejects(abandoned, /stopped/);
    await clock.advance(1000);
    await next;
    assert.equal(cap.released, 2);
  });

  it('keeps the cap at the far end when requests arrive up to the margin late', async () => {
    const clock = new ManualClock();
    const cap = new RequestRateCap(2, clock);
    assert.equal(cap.intervalMs, 600);
    const arrivals: number[] = [];
    // Each request is late by a different share of the default 200 ms margin, the first ones
    // most: the bunching that put three requests into one second at the API.
    const lateness = (i: number) => (i % 3 === 0 ? 200 : i % 3 === 1 ? 0 : 100);
    const callers = Array.from({ length: 40 }, (_, i) =>
      cap.acquire().then(() => arrivals.push(clock.now() + lateness(i))),
    );
    await settle();
    while (cap.waiting > 0) await clock.advance(100);
    await Promise.all(callers);
    assert.equal(arrivals.length, 40);
    assert.equal(
      busiestWindow(
        [...arrivals].sort((a, b) => a - b),
        1000,
      ),
      2,
    );
    // Spaced at exactly 1/rate, the same lateness lets three arrive within one second.
    const tight = arrivals.map((_, i) => i * 500 + lateness(i)).sort((a, b) => a - b);
    assert.equal(busiestWindow(tight, 1000), 3);
  });

  it('refuses a cap that is not a positive number', () => {
    assert.throws(() => new RequestRateCap(0, new ManualClock()), RangeError);
    assert.throws(() => new RequestRateCap(Number.NaN, new ManualClock()), RangeError);
  });
});
