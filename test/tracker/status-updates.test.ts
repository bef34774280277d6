/**
 * A place whose status updates keep failing (a platform outage) is tried again every 10 s,
 * but the log says so once, not on every try; it says when updates work again.
 */
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import type { ChatAdapter } from '../../src/chat/port.ts';
import type { StatusView } from '../../src/chat/status-view.ts';
import { createLogger } from '../../src/log.ts';
import { StatusUpdates } from '../../src/tracker/status-updates.ts';
import type { Subscription, Watch } from '../../src/watch/watch.ts';
import { ManualClock } from '../support/manual-clock.ts';

/** A platform that refuses the first `failures` status posts, then takes them. */
function failingPlatform(failures: number): ChatAdapter {
  let left = failures;
  return {
    platform: 'test',
    start: async () => {},
    stop: async () => {},
    connected: () => true,
    showStatus: async (_sub: Subscription, _view: StatusView) => {
      if (left > 0) {
        left -= 1;
        throw new Error('platform unavailable');
      }
      return 'card-1';
    },
    deliverVideo: async () => undefined,
    deliverFailure: async () => undefined,
  };
}

function watchIn(target: string): Watch {
  return {
    taskId: 'sora_outage_card',
    subscriptions: [
      { target, requesters: ['ann'], delivery: 'pending', deliveryAttempts: 0, since: 0 },
    ],
    startedAt: 0,
    history: {},
    phase: 'polling',
    nextPollAt: 0,
    polls: 0,
    consecutiveFailures: 0,
  };
}

describe('status updates during a platform outage', () => {
  it('warns once per place, retries every 10 s, and says when updates work again', async () => {
    const lines: { level: number; msg: string }[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
        done();
      },
    });
    const clock = new ManualClock();
    const retries: number[] = [];
    const updates = new StatusUpdates({
      adapters: new Map([['test', failingPlatform(30)]]),
      clock,
      logger: createLogger('debug', sink),
      minEditIntervalMs: 5_000,
      estimate: () => ({ remainingMs: undefined, progress: undefined }),
      refreshLater: (_taskId, at) => retries.push(at),
    });
    const watch = watchIn('test:channel');
    for (let i = 0; i < 31; i += 1) {
      await updates.refresh(watch);
      await clock.advance(10_000);
    }
    assert.equal(watch.subscriptions[0]?.statusMessage, 'card-1', 'posted once the outage ends');
    assert.equal(retries.length, 30, 'each failed first post asks for another try');
    const said = (msg: string, level: number) =>
      lines.filter((l) => l.msg === msg && l.level === level).length;
    assert.equal(said('status update failed', 40), 1, 'one warning for the whole outage');
    assert.equal(said('status update failed', 20), 29, 'the rest at debug level');
    assert.equal(said('status update works again', 30), 1);
  });
});
