/**
 * Creating from chat under the limits, through the command handler every platform uses: a
 * refusal is private, polite, says when the limit resets and marks the reply as refused (so
 * a form is offered again); `/sora-usage` shows the asker's day, and everyone's to an admin.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type CommandOrigin, parseCommand } from '../../src/chat/commands.ts';
import type { CommandHandler } from '../../src/chat/port.ts';
import { MemoryWatchStore } from '../../src/store/memory-watch-store.ts';
import { type FakeSoraApi, startFakeSoraApi } from '../fakes/sora-api.ts';
import { type ChatBot, startChatBot } from '../support/chat-bot.ts';
import { ManualClock } from '../support/manual-clock.ts';

const API_KEY = 'create-limits-key';
const clock = new ManualClock(Date.UTC(2026, 11, 1, 22, 30));
let api: FakeSoraApi;
let bot: ChatBot;
let workDir: string;
let handler: CommandHandler;

const anna: CommandOrigin = { target: 'slack:C0123', requester: 'U0ANNA' };
const ben: CommandOrigin = { target: 'slack:C0123', requester: 'U0BEN', groups: ['S0TEAM'] };
const stranger: CommandOrigin = { target: 'slack:C0123', requester: 'U0NEW' };
const admin: CommandOrigin = { target: 'slack:C0123', requester: 'U0BOSS' };

before(async () => {
  api = await startFakeSoraApi({ apiKey: API_KEY, now: () => clock.now() });
  workDir = await mkdtemp(path.join(tmpdir(), 'sora-create-limits-'));
  bot = await startChatBot({
    api: { baseUrl: api.baseUrl, apiKey: API_KEY },
    clock,
    store: new MemoryWatchStore(() => clock.now()),
    rules: {
      allowed: ['slack:U0ANNA', 'slack:S0TEAM'],
      admins: ['slack:U0BOSS'],
      dailyVideos: 1,
      dailySeconds: 30,
    },
    downloadsDir: path.join(workDir, 'downloads'),
    platform: 'slack',
  });
  handler = bot.handler;
});
after(async () => {
  await bot.close();
  await api.close();
  await rm(workDir, { recursive: true, force: true });
});

const create = (origin: CommandOrigin, text = 'a kite over the sea') =>
  handler(parseCommand('sora-create', text, origin));

describe('creating from chat under the limits', () => {
  it('refuses someone not allowed, privately and politely, before anything is sent', async () => {
    const before = api.creates.length;
    const reply = await create(stranger);
    assert.equal(reply.private, true);
    assert.equal(reply.refused, true);
    assert.match(reply.text, /^Making videos from here is open to some people only/);
    assert.equal(api.creates.length, before);
  });

  it('stops a person at the daily limit with when it resets; a group member and an admin go on', async () => {
    assert.match((await create(anna)).text, /^Started /);
    const before = api.creates.length;
    const over = await create(anna);
    assert.deepEqual(over, {
      text: 'You have made 1 video today, your daily limit of 1. It resets at midnight UTC, in 1 h 30 min.',
      private: true,
      refused: true,
    });
    assert.equal(api.creates.length, before, 'nothing sent');
    assert.match((await create(ben)).text, /^Started /);
    assert.match((await create(admin)).text, /^Started /);
    assert.match((await create(admin)).text, /^Started /);
  });

  it('shows the asker their day, and an admin everyone', async () => {
    const mine = await handler(parseCommand('sora-usage', '', anna));
    assert.equal(mine.private, true);
    assert.equal(
      mine.text,
      'Today (2026-12-01, UTC) you made 1 video, 8 s of clip; your limits: 1 video, 30 s a day.\n' +
        'The bot made 4 videos, 32 s of clip. It resets at midnight UTC, in 1 h 30 min.',
    );
    const all = await handler(parseCommand('sora-usage', '', admin));
    assert.equal(
      all.text,
      'Today (2026-12-01, UTC) you made 2 videos, 16 s of clip; as an admin you have no per-person limits.\n' +
        'The bot made 4 videos, 32 s of clip. It resets at midnight UTC, in 1 h 30 min.\n' +
        'Everyone today:\n• <@U0BOSS>: 2 videos, 16 s of clip\n• <@U0ANNA>: 1 video, 8 s of clip\n• <@U0BEN>: 1 video, 8 s of clip',
    );
    await clock.advance(90 * 60_000);
    const tomorrow = await handler(parseCommand('sora-usage', '', anna));
    assert.match(tomorrow.text, /^Today \(2026-12-02, UTC\) you made 0 videos, 0 s of clip/);
    assert.match((await create(anna)).text, /^Started /, 'a new day, a new limit');
  });
});
