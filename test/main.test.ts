import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { BotProcess } from './support/bot-process.ts';

describe('npm start', () => {
  it('reports every configuration problem together, naming each variable, and exits 2', async () => {
    const bot = new BotProcess({
      SORA_MAX_RPS: 'lots',
      SLACK_BOT_TOKEN: 'xoxb-never-shown',
      DISCORD_TOKEN: 'discord-never-shown',
    });
    const { code } = await bot.exited;
    assert.equal(code, 2);
    const problems = bot.stderr.split('\n').filter((line) => line.startsWith('  - '));
    assert.deepEqual(
      problems.map((line) => line.slice(4).split(' ')[0]),
      ['SORA_API_KEY', 'SORA_MAX_RPS', 'SLACK_SIGNING_SECRET', 'DISCORD_APPLICATION_ID'],
    );
    assert.doesNotMatch(bot.stderr + bot.stdout, /never-shown/);
    assert.doesNotMatch(bot.stderr, /\.env not found/, 'no word about a missing .env');
  });

  it('reads .env from its working directory, the environment winning', async (t) => {
    const dir = await mkdtemp(path.join(tmpdir(), 'sora-main-env-'));
    t.after(() => rm(dir, { recursive: true, force: true }));
    await writeFile(path.join(dir, '.env'), 'SORA_MAX_RPS=lots\nSORA_API_KEY=from-file\n');
    const bot = new BotProcess({ SORA_API_KEY: '' }, dir);
    const { code } = await bot.exited;
    assert.equal(code, 2);
    const problems = bot.stderr.split('\n').filter((line) => line.startsWith('  - '));
    assert.deepEqual(
      problems.map((line) => line.slice(4).split(' ')[0]),
      ['SORA_API_KEY', 'SORA_MAX_RPS'],
    );
  });

  it('says in one line why it could not start when a platform cannot be reached, and exits 1', async (t) => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'sora-main-'));
    t.after(() => rm(dataDir, { recursive: true, force: true }));
    const bot = new BotProcess({
      SORA_API_KEY: 'k',
      DISCORD_TOKEN: 'discord-never-shown',
      DISCORD_APPLICATION_ID: '100000000000000001',
      // Nothing listens on the discard port.
      DISCORD_API_URL: 'http://127.0.0.1:9/api',
      DATA_DIR: dataDir,
      PORT: '0',
    });
    const { code } = await bot.exited;
    assert.equal(code, 1);
    assert.match(bot.stderr, /^Could not start: discord: .+$/m);
    assert.doesNotMatch(bot.stderr + bot.stdout, /never-shown/);
  });
});
