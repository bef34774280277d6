/**
 * What the bot's log says when Slack refuses it, run as an operator runs it (`node
 * src/main.ts` against the fake Slack): a refused upload and a refused post are logged
 * with what went wrong, and never with the bot token, the signed video link, the message's
 * text or the clip's bytes.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sendSlashCommand } from '../fakes/slack-api.ts';
import { FIXTURE } from '../fakes/video-cdn.ts';
import { FakeWorld, SECRETS } from '../support/fake-world.ts';
import { assertCleanLog, jsonLines } from '../support/log-lines.ts';
import { waitFor } from '../support/wait-for.ts';

const USER = 'U0LOGGED';
const SIGNATURE = 'X-Amz-Signature=9a8b7c6d5e&X-Amz-Credential=AKIAEXAMPLE&sig=f0e1d2';

let world: FakeWorld;
/** The fake Sora API's clock: a task fails only when the test moves it on. */
let timeline = Date.now();

before(async () => {
  world = await FakeWorld.start({ now: () => timeline });
});
after(() => world.close());

function command(port: number, id: string, channelId: string) {
  return sendSlashCommand({
    url: `http://127.0.0.1:${port}/slack/events`,
    signingSecret: SECRETS.slackSigningSecret,
    command: '/sora-status',
    text: id,
    channelId,
    userId: USER,
    responseUrl: world.slack.responseUrl(),
  });
}

/** The error of the "delivery failed" line about `taskId`, once there is one. */
function deliveryError(log: string, taskId: string): Record<string, unknown> | undefined {
  const line = jsonLines(log).find(
    (entry) => entry.msg === 'delivery failed; retrying later' && entry.taskId === taskId,
  );
  return line?.err as Record<string, unknown> | undefined;
}

describe('the log when Slack refuses the bot', () => {
  it('names the refusals and holds no token, signature, text or clip bytes', async () => {
    const { slack, api, cdn } = world;
    const { process: bot, port } = await world.startBot({
      platforms: ['slack'],
      env: { LOG_LEVEL: 'debug' },
    });
    const logs = () => bot.stdout + bot.stderr;

    // The clip's bytes refused by the upload link.
    const uploadId = 'sora_slack_upload_refused';
    api.addTask({
      id: uploadId,
      created: Math.floor(timeline / 1000) - 300,
      videoUrl: `${cdn.baseUrl}/videos/${uploadId}.mp4?${SIGNATURE}`,
    });
    slack.refuseUploads(500);
    assert.equal((await command(port, uploadId, 'C0UPLOAD')).status, 200);
    await waitFor(() => deliveryError(logs(), uploadId) !== undefined, `the refusal\n${logs()}`);

    // The failure notice refused by chat.postMessage, once the task's card is up.
    const postId = 'sora_slack_post_refused';
    api.addTask({
      id: postId,
      created: Math.floor(timeline / 1000) - 900,
      queuedMs: 1_000,
      processingMs: 1_000,
      outcome: 'failed',
    });
    assert.equal((await command(port, postId, 'C0POST')).status, 200);
    await waitFor(() => slack.messages.some((m) => m.channel === 'C0POST'), 'the status card');
    slack.fail('chat.postMessage', { error: 'internal_error', channel: 'C0POST' });
    timeline += 2_000;
    await waitFor(
      () => deliveryError(logs(), postId) !== undefined,
      `the refused post\n${logs()}`,
      15_000,
    );
    const refusedPost = slack
      .callsOf('chat.postMessage')
      .filter((call) => call.params.channel === 'C0POST')
      .at(-1);
    const text = String(refusedPost?.params.text);
    assert.match(text, new RegExp(`<@${USER}>`), 'the refused post carried the mention');
    await bot.kill('SIGTERM');

    const log = logs();
    assert.deepEqual(deliveryError(log, uploadId), {
      ...deliveryError(log, uploadId),
      name: 'WebAPIHTTPError',
      code: 'slack_webapi_http_error',
      status: 500,
    });
    assert.deepEqual(deliveryError(log, postId), {
      ...deliveryError(log, postId),
      name: 'WebAPIPlatformError',
      message: 'An API error occurred: internal_error',
      code: 'slack_webapi_platform_error',
    });
    assertCleanLog(
      log,
      [SECRETS.slackBotToken, SECRETS.slackSigningSecret, SECRETS.soraApiKey, '9a8b7c6d5e', text],
      FIXTURE,
    );
  });
});
