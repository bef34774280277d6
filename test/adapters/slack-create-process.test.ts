/**
 * `/sora-create` on Slack in the real bot process: a form whose video request is cut off by
 * SIGKILL while the service holds it is never sent again when the same form is submitted
 * after the restart; the daily limit (which counted that video, since it may have started)
 * and CREATE_ALLOWED refuse the next forms before anything is sent, keeping their values;
 * a card's button pressed after another SIGKILL and restart still works, for its asker only.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { actionId } from '../../src/chat/card-actions.ts';
import {
  type OpenedView,
  type PostedMessage,
  sendBlockAction,
  sendSlashCommand,
  sendViewSubmission,
} from '../fakes/slack-api.ts';
import { FakeWorld, SECRETS } from '../support/fake-world.ts';
import { waitFor } from '../support/wait-for.ts';

let world: FakeWorld;
const CHANNEL = 'C0FORMS01';
const ENV = {
  CREATE_DAILY_LIMIT: '1',
  CREATE_ALLOWED: 'slack:U0MAKER,slack:U0OTHER',
};

before(async () => {
  world = await FakeWorld.start();
});
after(() => world.close());

async function openForm(url: string, userId: string): Promise<OpenedView> {
  const before = world.slack.views.length;
  await sendSlashCommand({
    url: `${url}/slack/events`,
    signingSecret: SECRETS.slackSigningSecret,
    command: '/sora-create',
    text: '',
    channelId: CHANNEL,
    userId,
    responseUrl: world.slack.responseUrl(),
  });
  await waitFor(() => world.slack.views.length > before, 'the form');
  return world.slack.views[before] as OpenedView;
}

function submit(
  url: string,
  userId: string,
  view: Pick<OpenedView, 'id' | 'view'>,
  prompt: string,
) {
  return sendViewSubmission({
    url: `${url}/slack/events`,
    signingSecret: SECRETS.slackSigningSecret,
    userId,
    opened: view,
    values: { model: 'veo_3_1_fast', prompt },
  });
}

/** Every text of the sections of the view as it shows now. */
const shown = (view: OpenedView) =>
  ((view.view.blocks ?? []) as { type: string; text?: { text: string } }[])
    .filter((block) => block.type === 'section')
    .map((block) => block.text?.text ?? '')
    .join('\n');
const creates = () => world.api.requests.filter((r) => r.method === 'POST').length;

describe('/sora-create on Slack across a crash, under the limits', () => {
  it('sends a form once, counts it, and refuses past the limit or to someone not allowed', async () => {
    const first = await world.startBot({ platforms: ['slack'], dataName: 'forms', env: ENV });
    const form = await openForm(first.url, 'U0MAKER');
    world.api.misbehaveAll({ kind: 'hang' });
    const ack = await submit(first.url, 'U0MAKER', form, 'a lighthouse in a storm');
    assert.equal(ack.ack?.response_action, 'update');
    await waitFor(() => creates() === 1, 'the create held by the service');
    await first.process.kill('SIGKILL');

    const second = await world.startBot({
      platforms: ['slack'],
      dataName: 'forms',
      port: first.port,
      env: ENV,
    });
    // The same form submitted again after the restart, as it was first sent.
    const asSent = { ...form, view: form.versions[0] ?? form.view };
    await submit(second.url, 'U0MAKER', asSent, 'a lighthouse in a storm');
    await waitFor(() => /may have started/.test(shown(form)), 'the answer');
    assert.match(shown(form), /its answer was lost, so it may have started; it is not sent again/);
    assert.equal(creates(), 1, 'nothing sent again');

    const over = await openForm(second.url, 'U0MAKER');
    await submit(second.url, 'U0MAKER', over, 'a second lighthouse');
    await waitFor(() => /daily limit/.test(shown(over)), 'the limit');
    assert.match(
      shown(over),
      /You have made 1 video today, your daily limit of 1\. It resets at midnight UTC, in /,
    );
    const prompt = (
      over.view.blocks as { block_id?: string; element?: { initial_value?: string } }[]
    ).find((block) => block.block_id === 'prompt');
    assert.equal(
      prompt?.element?.initial_value,
      'a second lighthouse',
      'the form comes back as it was',
    );

    const stranger = await openForm(second.url, 'U0STRANGER');
    await submit(second.url, 'U0STRANGER', stranger, 'my own lighthouse');
    await waitFor(() => /open to some people only/.test(shown(stranger)), 'the refusal');
    assert.equal(creates(), 1, 'nothing sent past the limit or for someone not allowed');

    // Another asker's video, then a restart: its card's button still works, for them only.
    const theirs = await openForm(second.url, 'U0OTHER');
    await submit(second.url, 'U0OTHER', theirs, 'a calm sea');
    await waitFor(() => world.api.creates.at(-1)?.taskId !== undefined, 'the video');
    const taskId = world.api.creates.at(-1)?.taskId ?? '';
    const stop = actionId('stop', taskId);
    const card = () =>
      world.slack.messages.find(
        (m) => m.channel === CHANNEL && JSON.stringify(m.blocks ?? []).includes(stop),
      );
    // Answered once the card is posted and saved: a kill before that may post it again.
    await waitFor(() => /^Started /m.test(shown(theirs)), 'the answer in the form');
    assert.ok(card(), 'the card with its button');
    await second.process.kill('SIGKILL');
    const third = await world.startBot({
      platforms: ['slack'],
      dataName: 'forms',
      port: first.port,
      env: ENV,
    });
    const refused = await press(third.url, 'U0STRANGER', card(), stop);
    assert.match(
      String(refused.text),
      /^Sorry, only the person who asked for .*, or an admin of the bot, can stop watching it\.$/,
    );
    const stopped = await press(third.url, 'U0OTHER', card(), stop);
    assert.equal(stopped.text, `Stopped watching ${taskId} here.`);
    await waitFor(
      () => /No longer watched here/.test(JSON.stringify(card()?.edits.at(-1) ?? {})),
      'the card ended',
    );
  });
});

/** Presses a button of a posted message as `userId`; resolves with the private answer. */
async function press(
  url: string,
  userId: string,
  message: PostedMessage | undefined,
  action: string,
): Promise<Record<string, unknown>> {
  assert.ok(message);
  const responseUrl = world.slack.responseUrl();
  await sendBlockAction({
    url: `${url}/slack/events`,
    signingSecret: SECRETS.slackSigningSecret,
    userId,
    channelId: message.channel,
    message: { ts: message.ts, blocks: message.edits.at(-1)?.blocks ?? message.blocks ?? [] },
    actionId: action,
    responseUrl,
  });
  const id = responseUrl.slice(responseUrl.lastIndexOf('/') + 1);
  await waitFor(() => world.slack.responses.some((r) => r.id === id), 'the private answer');
  return world.slack.responses.find((r) => r.id === id)?.body ?? {};
}
