/**
 * The Discord adapter as an operator runs it: `npm run discord:register`, and `npm start`
 * with DISCORD_TOKEN set, both as child processes against the fake Discord.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FakeDiscord } from '../fakes/discord.ts';
import type { FakeSoraApi } from '../fakes/sora-api.ts';
import { FIXTURE } from '../fakes/video-cdn.ts';
import type { BotProcess } from '../support/bot-process.ts';
import { DISCORD_APPLICATION_ID, FakeWorld } from '../support/fake-world.ts';
import { waitFor } from '../support/wait-for.ts';

const CHANNEL = '200000000000000002';
const GUILD = '300000000000000003';
let world: FakeWorld;
let discord: FakeDiscord;
let api: FakeSoraApi;
/** The fake Sora API's clock: statuses move only when a test moves it, however slow a start. */
let timeline = Date.now();

before(async () => {
  world = await FakeWorld.start({ now: () => timeline });
  ({ discord, api } = world);
});
after(() => world.close());

/** Starts `npm start` on a store of its own (by name) and waits until it takes commands. */
async function startBot(dataName: string): Promise<BotProcess> {
  const before = discord.identifies();
  const { process: bot } = await world.startBot({ platforms: ['discord'], dataName });
  assert.ok(discord.identifies() > before, 'logged in to the gateway');
  return bot;
}

/** Asks for `/sora-status id` in `channel` and waits for the (deferred) answer. */
async function watch(id: string, channel: string, bot: BotProcess): Promise<void> {
  const interaction = discord.sendSlashCommand({
    name: 'sora-status',
    options: { id },
    channelId: channel,
    userId: '400000000000000005',
    guildId: GUILD,
  });
  // The answer comes once the status message is posted and its id saved.
  await waitFor(
    () => discord.replies.get(interaction)?.content?.includes(id) === true,
    `the answer\n${bot.stdout}${bot.stderr}`,
    10_000,
  );
}

const clipMessages = (channel: string) =>
  discord.messagesIn(channel).filter((m) => m.attachments.length > 0);
const statusMessages = (channel: string) =>
  discord.messagesIn(channel).filter((m) => m.embeds.length > 0);

/** SIGKILLs `bot` once the fake holds one more call than `heldBefore`: its answer never comes. */
async function killWhenHeld(bot: BotProcess, heldBefore: number, what: string): Promise<void> {
  await waitFor(
    () => discord.heldUploads() > heldBefore,
    `${what}, its answer held\n${bot.stdout}${bot.stderr}`,
    10_000,
  );
  await bot.kill('SIGKILL');
}

describe('Discord in a real process', () => {
  it('registers the slash commands in the development server', async () => {
    const script = path.join(import.meta.dirname, '../../scripts/discord-register.ts');
    const output = await new Promise<string>((resolve, reject) => {
      execFile(
        process.execPath,
        [script],
        {
          env: {
            PATH: process.env.PATH ?? '',
            ...world.env(['discord'], world.dataDir, 0),
            DISCORD_GUILD_ID: GUILD,
          },
          timeout: 20_000,
        },
        (error, stdout, stderr) =>
          error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout),
      );
    });
    assert.match(
      output,
      /Registered \/sora-status, \/sora-list, \/sora-unwatch, \/sora-show, \/sora-usage, \/sora-clips, \/sora-create in server/,
    );
    const put = discord.calls.find((c) => c.method === 'PUT');
    assert.equal(put?.path, `/applications/${DISCORD_APPLICATION_ID}/guilds/${GUILD}/commands`);
  });

  it('serves /sora-status from npm start and posts the clip into the channel', async () => {
    api.addTask({ id: 'sora_discord_main', created: Math.floor(Date.now() / 1000) - 300 });
    const { process: bot, port } = await world.startBot({ platforms: ['discord'] });
    discord.sendSlashCommand({
      name: 'sora-status',
      options: { id: 'sora_discord_main' },
      channelId: CHANNEL,
      userId: '400000000000000004',
      guildId: GUILD,
    });
    await waitFor(
      () => discord.messagesIn(CHANNEL).some((m) => m.attachments.length > 0),
      `the clip in the channel\n${bot.stdout}${bot.stderr}`,
      15_000,
    );
    const delivery = discord.messagesIn(CHANNEL).find((m) => m.attachments.length > 0);
    assert.deepEqual(delivery?.attachments[0]?.bytes, FIXTURE);
    assert.match(delivery?.content ?? '', /<@400000000000000004>/);
    assert.doesNotMatch(bot.stdout + bot.stderr, /never-logged/, 'no token in the log');
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    assert.equal(health.status, 200);
    const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
    assert.deepEqual(await ready.json(), {
      ready: true,
      checks: { accepting: 'ok', store: 'ok', adapters: 'ok' },
    });
    bot.child.kill('SIGTERM');
    assert.equal((await bot.exited).code, 0);
  });

  it('carries on editing the same status message after being killed and started again', async () => {
    const id = 'sora_discord_restart';
    const channel = '200000000000000012';
    // Created a while ago and still queued: the bot asks again within seconds.
    api.addTask({
      id,
      created: Math.floor(timeline / 1000) - 900,
      queuedMs: 1_000,
      processingMs: 1_000,
    });
    const first = await startBot('restart');
    await watch(id, channel, first);
    assert.equal(statusMessages(channel).length, 1);
    const [status] = statusMessages(channel);
    assert.ok(status);
    assert.match(JSON.stringify(status.embeds[0]), /queued/);
    await first.kill('SIGKILL');
    assert.equal((await first.exited).signal, 'SIGKILL');

    const second = await startBot('restart');
    timeline += 2_000;
    await waitFor(
      () => clipMessages(channel).length > 0,
      `the clip after the restart\n${second.stdout}${second.stderr}`,
      10_000,
    );
    assert.deepEqual(statusMessages(channel), [status], 'the same status message, no second one');
    assert.match(JSON.stringify(status.embeds[0]), /completed/);
    const edits = discord.calls.filter(
      (c) => c.method === 'PATCH' && c.path.startsWith(`/channels/${channel}/`),
    );
    assert.ok(edits.length > 0, 'edited after the restart');
    assert.ok(edits.every((c) => c.path === `/channels/${channel}/messages/${status.id}`));
    second.child.kill('SIGTERM');
    assert.equal((await second.exited).code, 0);
    assert.equal(clipMessages(channel).length, 1, 'the clip posted once');
    assert.deepEqual(clipMessages(channel)[0]?.attachments[0]?.bytes, FIXTURE);
  });

  it('does not post the clip twice when killed between the upload and recording it', async () => {
    const id = 'sora_discord_crash';
    const channel = '200000000000000013';
    // Already done: the clip goes out right after the status message.
    api.addTask({ id, created: Math.floor(timeline / 1000) - 300 });
    discord.holdNextUpload(channel);
    const heldBefore = discord.heldUploads();
    const first = await startBot('crash');
    await watch(id, channel, first);
    await killWhenHeld(first, heldBefore, 'the upload');
    assert.equal(clipMessages(channel).length, 1, 'posted before the crash');
    const uploads = () =>
      discord.calls.filter(
        (c) => c.method === 'POST' && c.path === `/channels/${channel}/messages` && c.files.length,
      );
    assert.equal(uploads().length, 1);

    const second = await startBot('crash');
    await waitFor(
      () => uploads().length === 2 && uploads()[1]?.status === 200,
      `the delivery sent again\n${second.stdout}${second.stderr}`,
      10_000,
    );
    const [lost, retried] = uploads();
    assert.equal(retried?.body?.nonce, lost?.body?.nonce, 'the same nonce');
    assert.equal(retried?.body?.enforce_nonce, true);
    second.child.kill('SIGTERM');
    assert.equal((await second.exited).code, 0);
    assert.equal(clipMessages(channel).length, 1, 'exactly one clip message');
    assert.equal(statusMessages(channel).length, 1);
  });

  it('does not post a second status card when killed while the first one was being posted', async () => {
    const id = 'sora_discord_card_crash';
    const channel = '200000000000000014';
    api.addTask({ id, queuedMs: 3_600_000 });
    discord.holdNextPost(channel);
    const heldBefore = discord.heldUploads();
    const first = await startBot('card-crash');
    const asked = discord.sendSlashCommand({
      name: 'sora-status',
      options: { id },
      channelId: channel,
      userId: '400000000000000005',
      guildId: GUILD,
    });
    await killWhenHeld(first, heldBefore, 'the card');
    assert.equal(statusMessages(channel).length, 1, 'posted before the crash');
    const posts = () =>
      discord.calls.filter(
        (c) => c.method === 'POST' && c.path === `/channels/${channel}/messages`,
      );

    const second = await startBot('card-crash');
    await waitFor(
      () => posts().length === 2,
      `the card posted again\n${second.stdout}${second.stderr}`,
      10_000,
    );
    const [lost, retried] = posts();
    assert.equal(retried?.body?.nonce, lost?.body?.nonce, 'the same nonce');
    assert.equal(retried?.body?.enforce_nonce, true);
    await waitFor(() => retried?.status === 200, 'the answer to the second post', 10_000);
    assert.equal(statusMessages(channel).length, 1, 'one status card');
    // The asker's deferred answer, cut off by the crash, is finished by the new process.
    await waitFor(
      () => discord.replies.get(asked)?.content !== undefined,
      `the deferred answer\n${second.stdout}${second.stderr}`,
      10_000,
    );
    const [card] = statusMessages(channel);
    const answer = discord.replies.get(asked)?.content ?? '';
    assert.match(answer, new RegExp(`Watching ${id} \\(Sora 2 Plus, queued\\)`));
    assert.ok(answer.includes(`/${GUILD}/${channel}/${card?.id}`), `links the card: ${answer}`);
    second.child.kill('SIGTERM');
    assert.equal((await second.exited).code, 0);
  });
});
