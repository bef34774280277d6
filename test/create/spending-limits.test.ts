/**
 * Who may make videos and how much a day: the allow list (people, Slack groups, Discord
 * roles), admins, the per-person and whole-bot daily limits, UTC days, and what is given back.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CreateLimitReached, CreateNotAllowed } from '../../src/chat/create-refusal.ts';
import { SpendingLimits, type SpendingRules } from '../../src/create/spending-limits.ts';
import { MemoryWatchStore } from '../../src/store/memory-watch-store.ts';
import { ManualClock } from '../support/manual-clock.ts';

const ANNA = { target: 'slack:C0123', requester: 'U0ANNA' };
const BEN = { target: 'slack:C0123', requester: 'U0BEN' };
const ADMIN = { target: 'discord:555', requester: '42' };

function limits(rules: Partial<SpendingRules>, start = Date.UTC(2026, 11, 1, 21, 0)) {
  const clock = new ManualClock(start);
  const store = new MemoryWatchStore(() => clock.now());
  const spending = new SpendingLimits({
    rules: { allowed: 'everyone', admins: ['discord:42'], dailyVideos: 10, ...rules },
    store,
    clock,
  });
  return { spending, clock, store };
}

describe('SpendingLimits', () => {
  it('lets only the listed people, groups and roles create; admins and programs always', async () => {
    const { spending } = limits({ allowed: ['slack:U0ANNA', 'slack:S0DESIGN', 'discord:777'] });
    await spending.reserve(ANNA, 8);
    await assert.rejects(spending.reserve(BEN, 8), CreateNotAllowed);
    await spending.reserve({ ...BEN, groups: ['S0DESIGN'] }, 8);
    await assert.rejects(
      spending.reserve({ target: 'discord:555', requester: '9', groups: ['S0DESIGN'] }, 8),
      CreateNotAllowed,
      'a Slack group is no Discord role',
    );
    await spending.reserve({ target: 'discord:555', requester: '9', groups: ['777'] }, 8);
    await spending.reserve(ADMIN, 8);
    await spending.reserve({ target: 'slack:C0123', requestedBy: 'ci' }, 8);
    await assert.rejects(spending.reserve(BEN, 8), (error: unknown) => {
      assert.ok(error instanceof CreateNotAllowed);
      assert.match(error.message, /ask an admin of the bot to add you to CREATE_ALLOWED/);
      return true;
    });
  });

  it('stops a person at the daily number of videos, saying when it resets', async () => {
    const { spending, clock } = limits({ dailyVideos: 2 });
    await spending.reserve(ANNA, 8);
    await spending.reserve(ANNA, 8);
    await assert.rejects(spending.reserve(ANNA, 8), (error: unknown) => {
      assert.ok(error instanceof CreateLimitReached);
      assert.equal(error.limit, 'videos');
      assert.equal(error.resetsAt, Date.UTC(2026, 11, 2));
      assert.equal(
        error.message,
        'You have made 2 videos today, your daily limit of 2. It resets at midnight UTC, in 3 h 00 min.',
      );
      return true;
    });
    await spending.reserve(BEN, 8);
    await spending.reserve(ADMIN, 8);
    await spending.reserve(ADMIN, 8);
    await spending.reserve(ADMIN, 8);
    await clock.advance(3 * 3_600_000);
    await spending.reserve(ANNA, 8);
  });

  it('stops a person at the daily seconds, and the bot at its own', async () => {
    const { spending } = limits({ dailySeconds: 20, botDailySeconds: 30 });
    await spending.reserve(ANNA, 12);
    await assert.rejects(spending.reserve(ANNA, 12), (error: unknown) => {
      assert.ok(error instanceof CreateLimitReached);
      assert.equal(error.limit, 'seconds');
      assert.match(error.message, /past your daily 20 s of video \(12 s made today, 8 s left\)/);
      return true;
    });
    await spending.reserve(ANNA, 8);
    await assert.rejects(spending.reserve(ADMIN, 12), (error: unknown) => {
      assert.ok(error instanceof CreateLimitReached);
      assert.equal(error.limit, 'bot-seconds');
      assert.match(
        error.message,
        /^The bot has made 20 s of its 30 s of video for today, and this one would not fit in the 10 s left\./,
      );
      return true;
    });
  });

  it('gives back what the service refused, and keeps the day in the store', async () => {
    const { spending, store, clock } = limits({ dailyVideos: 1 });
    const reservation = await spending.reserve(ANNA, 8);
    await assert.rejects(spending.reserve(ANNA, 8), CreateLimitReached);
    await reservation.giveBack();
    await spending.reserve(ANNA, 8);
    const again = new SpendingLimits({
      rules: { allowed: 'everyone', admins: [], dailyVideos: 1 },
      store,
      clock,
    });
    await assert.rejects(again.reserve(ANNA, 4), CreateLimitReached, 'a restart forgets nothing');
  });

  it('counts two creates at once as two', async () => {
    const { spending } = limits({ dailyVideos: 1 });
    const results = await Promise.allSettled([
      spending.reserve(ANNA, 8),
      spending.reserve(ANNA, 8),
    ]);
    assert.deepEqual(
      results.map((r) => r.status),
      ['fulfilled', 'rejected'],
    );
  });

  it('reports a person their own day, and an admin everyone', async () => {
    const { spending } = limits({ dailySeconds: 60 });
    await spending.reserve(ANNA, 8);
    await spending.reserve(ANNA, 12);
    await spending.reserve(BEN, 4);
    const mine = await spending.report(ANNA);
    assert.deepEqual(mine.mine, { videos: 2, seconds: 20 });
    assert.deepEqual(mine.bot, { videos: 3, seconds: 24 });
    assert.equal(mine.people, undefined, 'only admins see everyone');
    assert.equal(mine.day, '2026-12-01');
    const all = await spending.report(ADMIN);
    assert.equal(all.admin, true);
    assert.deepEqual(all.people, {
      'slack:U0ANNA': { videos: 2, seconds: 20 },
      'slack:U0BEN': { videos: 1, seconds: 4 },
    });
  });
});
