/**
 * `/sora-create` on Slack, end to end against the fake Slack and the fake Sora API: the
 * command opens the form at once with its trigger_id; a valid submission makes one video
 * (however often it is delivered), whose card and clip come to the channel; a form that
 * breaks the model's rules is answered beside the field and sends nothing; a refusal by the
 * service brings the form back with every value kept and the reason in plain words.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { SLACK_PROMPT_MAX_LENGTH } from '../../src/adapters/slack/create-view.ts';
import { MemoryWatchStore } from '../../src/store/memory-watch-store.ts';
import {
  type FakeSlackApi,
  type OpenedView,
  sendSlashCommand,
  sendViewSubmission,
} from '../fakes/slack-api.ts';
import type { FakeSoraApi } from '../fakes/sora-api.ts';
import { FIXTURE } from '../fakes/video-cdn.ts';
import { ManualClock } from '../support/manual-clock.ts';
import {
  SLACK_SIGNING_SECRET,
  type SlackBot,
  type SlackFakes,
  startSlackBot,
  startSlackFakes,
} from '../support/slack-bot.ts';

const API_KEY = 'slack-create-key';
const clock = new ManualClock();
let fakes: SlackFakes;
let api: FakeSoraApi;
let slack: FakeSlackApi;
let workDir: string;
let bot: SlackBot;

before(async () => {
  fakes = await startSlackFakes({ apiKey: API_KEY, clock, name: 'sora-slack-create' });
  ({ slack, api, workDir } = fakes);
  bot = await startSlackBot({
    slackApiUrl: slack.apiUrl,
    soraApi: { baseUrl: api.baseUrl, apiKey: API_KEY },
    clock,
    store: new MemoryWatchStore(() => clock.now()),
    downloadsDir: path.join(workDir, 'downloads'),
    makesVideos: true,
  });
});

after(async () => {
  await bot.stop();
  await fakes.close();
});

const createCommand = (channelId: string, text: string) =>
  sendSlashCommand({
    url: bot.eventsUrl,
    signingSecret: SLACK_SIGNING_SECRET,
    command: '/sora-create',
    text,
    channelId,
    userId: 'U0MAKER',
    responseUrl: slack.responseUrl(),
  });

/** Runs `/sora-create <text>` in `channelId`; resolves with the modal it opened. */
async function openForm(channelId: string, text = ''): Promise<OpenedView> {
  const opened = slack.views.length;
  const ack = await createCommand(channelId, text);
  assert.equal(ack.status, 200);
  assert.equal(ack.body, '', 'a bare ack: the form is the answer');
  await clock.stepUntil(() => slack.views.length > opened, 'the modal');
  const view = slack.views[opened];
  assert.ok(view);
  return view;
}

/** Submits the modal as it shows now, or as `view` says (a submission delivered again). */
function submit(
  view: { id: string; view: Record<string, unknown> },
  values: Record<string, string | undefined>,
) {
  return sendViewSubmission({
    url: bot.eventsUrl,
    signingSecret: SLACK_SIGNING_SECRET,
    userId: 'U0MAKER',
    opened: view,
    values,
  });
}

/** Waits until the modal has been updated to its `count`-th version. */
const versionsReach = (view: OpenedView, count: number) =>
  clock.stepUntil(() => view.versions.length >= count, `version ${count} of the modal`);

type Block = {
  type: string;
  block_id?: string;
  optional?: boolean;
  hint?: { text: string };
  text?: { text: string };
  element?: {
    type: string;
    action_id?: string;
    options?: { text: { text: string }; value: string; description?: { text: string } }[];
    initial_option?: { value: string };
    initial_value?: string;
    max_length?: number;
    multiline?: boolean;
  };
  elements?: { text: string }[];
};
const blocksOf = (view: Record<string, unknown>) => (view.blocks ?? []) as Block[];
const blockOf = (view: Record<string, unknown>, id: string) =>
  blocksOf(view).find((b) => b.block_id === id);
/** The text of every section of a view, in order. */
const sectionsOf = (view: Record<string, unknown> | undefined) =>
  blocksOf(view ?? {})
    .filter((b) => b.type === 'section')
    .map((b) => b.text?.text ?? '')
    .join('\n');
const createsWithKey = (key: string) => api.creates.filter((c) => c.idempotencyKey === key);

const VEO_FORM = {
  model: 'veo_3_1_fast',
  prompt: 'A lighthouse in a storm',
  orientation: '9:16',
  resolution: '1080p',
};

describe('/sora-create on Slack', () => {
  it('opens the form with the command’s trigger_id, one block per field', async () => {
    const view = await openForm('C0FORM');
    assert.equal(view.triggerId, '1.2.3');
    assert.equal(view.view.type, 'modal');
    assert.equal(view.view.callback_id, 'sora-create');
    assert.equal(view.view.private_metadata, 'C0FORM');
    const inputs = blocksOf(view.view).filter((b) => b.type === 'input');
    assert.deepEqual(
      inputs.map((b) => [b.block_id, b.element?.type, b.optional === true]),
      [
        ['model', 'static_select', false],
        ['prompt', 'plain_text_input', false],
        ['orientation', 'static_select', true],
        ['seconds', 'static_select', true],
        ['resolution', 'static_select', true],
        ['image', 'url_text_input', true],
      ],
    );
    const models = blockOf(view.view, 'model')?.element?.options ?? [];
    assert.ok(models.some((o) => o.value === 'veo_3_1_fast' && o.text.text === 'VEO 3.1 Fast'));
    assert.ok(models.some((o) => o.value === 'openAiSora2Pro'));
    for (const option of inputs.flatMap((b) => b.element?.options ?? [])) {
      assert.ok(option.text.text.length <= 75, option.text.text);
      assert.ok((option.description?.text.length ?? 0) <= 75, option.description?.text);
    }
    assert.ok(
      models.every((o) => o.description !== undefined),
      'each model says what it makes',
    );
    const prompt = blockOf(view.view, 'prompt')?.element;
    assert.equal(prompt?.multiline, true);
    assert.equal(prompt?.max_length, SLACK_PROMPT_MAX_LENGTH);
    assert.equal(prompt?.initial_value, undefined);
    assert.match(blockOf(view.view, 'seconds')?.hint?.text ?? '', /the model's default/i);
    assert.match(
      blockOf(view.view, 'resolution')?.hint?.text ?? '',
      /4K: VEO 3\.1 Fast, VEO 3\.1 Pro only/,
    );
    const notes = blocksOf(view.view).find((b) => b.type === 'context');
    assert.match(notes?.elements?.[0]?.text ?? '', /Sora 2 Plus, Sora 2 Pro/);
  });

  it('pre-fills the prompt with the text typed after the command', async () => {
    const view = await openForm('C0FORM', 'a fox in snow');
    assert.equal(blockOf(view.view, 'prompt')?.element?.initial_value, 'a fox in snow');
  });

  it('tells the asker privately when Slack will not open the form', async () => {
    slack.fail('views.open', { error: 'expired_trigger_id' });
    const answers = slack.responses.length;
    const ack = await createCommand('C0SLOW', '');
    assert.equal(ack.status, 200);
    await clock.stepUntil(() => slack.responses.length > answers, 'the answer');
    assert.deepEqual(slack.responses.at(-1)?.body, {
      response_type: 'ephemeral',
      text: 'The form could not be opened; run /sora-create again.',
    });
  });

  it('makes one video per submission, however often it arrives; its card and clip come to the channel', async () => {
    const view = await openForm('C0MAKE');
    const key = `slack-view:${view.id}`;
    const first = await submit(view, VEO_FORM);
    assert.equal(first.status, 200);
    assert.equal(first.ack?.response_action, 'update');
    assert.match(sectionsOf(first.ack?.view as Record<string, unknown>), /Starting your video/);
    await versionsReach(view, 2);
    const started = sectionsOf(view.versions[1]);
    assert.match(started, /Started vgen_\w+ \(VEO 3\.1 Fast\); watching it here/);
    assert.deepEqual(
      createsWithKey(key).map((c) => [c.endpoint, c.body]),
      [
        [
          '/v1/veo/videos',
          {
            model: 'veo_3_1_fast',
            prompt: 'A lighthouse in a storm',
            aspect_ratio: '9:16',
            resolution: '1080p',
          },
        ],
      ],
    );
    const taskId = createsWithKey(key)[0]?.taskId ?? '';
    const card = slack.messages.find((m) => m.channel === 'C0MAKE');
    assert.ok(card, 'the status card is in the channel');
    assert.match(JSON.stringify(card.blocks), new RegExp(taskId));
    assert.match(JSON.stringify(card.blocks), /<@U0MAKER>/);
    const permalink = `https://fake.slack.com/archives/C0MAKE/p${card.ts.replace('.', '')}`;
    assert.ok(started.includes(`<${permalink}|See the status card.>`), started);

    // Slack delivers the same submission again: the same task, never a second video.
    const again = await submit({ id: view.id, view: view.versions[0] ?? {} }, VEO_FORM);
    assert.equal(again.ack?.response_action, 'update');
    await versionsReach(view, 3);
    assert.match(sectionsOf(view.versions[2]), new RegExp(`already sent: it is ${taskId}`));
    assert.equal(createsWithKey(key).length, 1, 'one create at the service');
    assert.equal(slack.messages.filter((m) => m.channel === 'C0MAKE').length, 1, 'one card');

    await clock.stepUntil(() => slack.files.some((f) => f.channel === 'C0MAKE'), 'the clip');
    const clip = slack.files.find((f) => f.channel === 'C0MAKE');
    assert.deepEqual(clip?.bytes, FIXTURE);
    assert.match(clip?.initialComment ?? '', /^<@U0MAKER> /);
    assert.match(clip?.initialComment ?? '', /A lighthouse in a storm/);
  });

  for (const [label, values, field, message] of [
    ['a VEO clip of 4 s', { ...VEO_FORM, seconds: '4' }, 'seconds', /always 8 s/],
    [
      'Sora in 4K',
      { model: 'openAiSora2Plus', prompt: 'A fox in snow', resolution: '4K' },
      'resolution',
      /takes no resolution/,
    ],
  ] as const) {
    it(`answers ${label} beside the field it is about, and sends nothing`, async () => {
      const view = await openForm('C0WRONG');
      const creates = api.creates.length;
      const answer = await submit(view, values);
      assert.equal(answer.status, 200);
      assert.equal(answer.ack?.response_action, 'errors');
      const errors = answer.ack?.errors as Record<string, string>;
      assert.deepEqual(Object.keys(errors), [field]);
      assert.match(errors[field] ?? '', message);
      await clock.advance(1_000);
      assert.equal(api.creates.length, creates, 'nothing sent');
      assert.equal(view.versions.length, 1, 'the form stays as it is');
    });
  }

  for (const [label, refusal, reason] of [
    [
      'moderation',
      { kind: 'status', status: 400, body: '{"error":{"message":"prompt flagged by moderation"}}' },
      /refused this video on content grounds \(prompt flagged by moderation\)/,
    ],
    [
      'no balance',
      { kind: 'status', status: 402, body: '{}' },
      /run out of balance; no video was started/,
    ],
  ] as const) {
    it(`brings the form back with every value kept when the service refuses (${label})`, async () => {
      const channel = `C0REFUSE${label === 'moderation' ? 'A' : 'B'}`;
      const view = await openForm(channel);
      const values = { ...VEO_FORM, seconds: '8', image: 'https://images.example.com/ref.png' };
      api.misbehaveAll(refusal);
      const answer = await submit(view, values);
      assert.equal(answer.ack?.response_action, 'update');
      await versionsReach(view, 2);
      const form = view.versions[1] ?? {};
      assert.equal(form.callback_id, 'sora-create');
      assert.equal(form.private_metadata, channel);
      assert.match(sectionsOf(form), reason);
      assert.equal(blockOf(form, 'model')?.element?.initial_option?.value, 'veo_3_1_fast');
      assert.equal(blockOf(form, 'prompt')?.element?.initial_value, 'A lighthouse in a storm');
      assert.equal(blockOf(form, 'orientation')?.element?.initial_option?.value, '9:16');
      assert.equal(blockOf(form, 'seconds')?.element?.initial_option?.value, '8');
      assert.equal(blockOf(form, 'resolution')?.element?.initial_option?.value, '1080p');
      assert.equal(
        blockOf(form, 'image')?.element?.initial_value,
        'https://images.example.com/ref.png',
      );
      assert.equal(slack.messages.filter((m) => m.channel === channel).length, 0, 'no card');

      // Sent again from the same modal once the service takes it: the video is made.
      const key = `slack-view:${view.id}`;
      await submit(view, values);
      await versionsReach(view, 3);
      assert.match(sectionsOf(view.versions[2]), /Started vgen_/);
      assert.equal(createsWithKey(key).filter((c) => c.taskId !== undefined).length, 1);
    });
  }

  it('says so in the modal when it cannot post in a private channel it is not in', async () => {
    slack.fail('chat.postMessage', { error: 'not_in_channel', channel: 'G0PRIVATE' });
    slack.fail('conversations.join', { error: 'method_not_supported_for_channel_type' });
    const view = await openForm('G0PRIVATE');
    await submit(view, VEO_FORM);
    await versionsReach(view, 2);
    assert.match(sectionsOf(view.versions[1]), /I cannot post in this conversation: invite me/);
    assert.equal(slack.messages.filter((m) => m.channel === 'G0PRIVATE').length, 0);
  });
});
