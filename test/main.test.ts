import assert from 'node:assert/strict';
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
  });
});
