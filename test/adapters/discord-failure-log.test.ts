/**
 * What the bot's log says when Discord refuses it, run as an operator runs it (`node
 * src/main.ts` against the fake Discord): a refused upload and a refused deferral are
 * logged with their status, code and path, and never with the bot or interaction token,
 * the signed video link, the message's content or the clip's bytes.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { FIXTURE } from '../fakes/video-cdn.ts';
import { FakeWorld, SECRETS } from '../support/fake-world.ts';
import { assertCleanLog, lineWithMessage } from '../support/log-lines.ts';
import { waitFor } from '../support/wait-for.ts';

const GUILD = '300000000000000003';
const USER = '400000000000000004';
const PROMPT = 'a lighthouse in a storm, PROMPT-MARKER-4471';
const SIGNATURE = 'X-Amz-Signature=5f1a2b3c4d&X-Amz-Credential=AKIAEXAMPLE&sig=c1d2e3';

let world: FakeWorld;

before(async () => {
  world = await FakeWorld.start();
});
after(() => world.close());

function slash(id: string, channelId: string): string {
  return world.discord.sendSlashCommand({
    name: 'sora-status',
    options: { id },
    channelId,
    userId: USER,
    guildId: GUILD,
  });
}

describe('the log when Discord refuses the bot', () => {
  it('names the refusals and holds no token, signature, content or clip bytes', async () => {
    const { discord, api, cdn } = world;
    const { process: bot } = await world.startBot({
      platforms: ['discord'],
      env: { LOG_LEVEL: 'debug' },
    });
    const logs = () => bot.stdout + bot.stderr;

    // A deferral refused: the interaction token sits in the request's URL.
    discord.refuseNextInteractionCallback({
      kind: 'error',
      status: 404,
      code: 10062,
      message: 'Unknown interaction',
    });
    const refusedInteraction = slash('sora_defer_refused', '200000000000000021');
    await waitFor(() => logs().includes('could not defer'), `the refused deferral\n${logs()}`);

    // An upload refused: the request carries the clip and its message.
    const id = 'sora_upload_refused';
    const channel = '200000000000000022';
    api.addTask({
      id,
      created: Math.floor(Date.now() / 1000) - 300,
      prompt: PROMPT,
      videoUrl: `${cdn.baseUrl}/videos/${id}.mp4?${SIGNATURE}`,
    });
    discord.refuseNextUpload(channel, {
      kind: 'error',
      status: 403,
      code: 50013,
      message: 'Missing Permissions',
    });
    slash(id, channel);
    await waitFor(
      () => logs().includes('delivery failed; retrying later'),
      `the refused upload\n${logs()}`,
      15_000,
    );
    const refusedUpload = discord.calls.find(
      (call) => call.path === `/channels/${channel}/messages` && call.files.length > 0,
    );
    assert.equal(refusedUpload?.status, 403, 'the clip was sent and refused');
    const content = String(refusedUpload?.body?.content);
    assert.match(content, new RegExp(`<@${USER}> Video task ${id} is ready`));
    await bot.kill('SIGTERM');

    const log = logs();
    const deferral = lineWithMessage(log, 'could not defer');
    assert.deepEqual(deferral.err, {
      ...(deferral.err as object),
      name: 'DiscordAPIError[10062]',
      status: 404,
      method: 'POST',
      path: `/api/v10/interactions/${refusedInteraction}/[redacted]/callback`,
    });
    const delivery = lineWithMessage(log, 'delivery failed; retrying later');
    assert.deepEqual(delivery.err, {
      ...(delivery.err as object),
      name: 'DiscordAPIError[50013]',
      message: 'Missing Permissions',
      code: 50013,
      status: 403,
      method: 'POST',
      path: `/api/v10/channels/${channel}/messages`,
    });
    assertCleanLog(
      log,
      [
        SECRETS.discordToken,
        SECRETS.soraApiKey,
        `token-${refusedInteraction}`,
        'PROMPT-MARKER-4471',
        '5f1a2b3c4d',
        content,
        `<@${USER}>`,
      ],
      FIXTURE,
    );
  });
});
