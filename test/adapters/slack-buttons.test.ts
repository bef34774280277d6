/**
 * The buttons on Slack status cards, end to end against the fake Slack and the fake Sora API
 * with the real tracker, creator and a SQLite store: which buttons a made video's card
 * carries, what each press does and who may press it, the Share to… picker, presses after a
 * restart of the bot, and creating as a member of a Slack user group named in CREATE_ALLOWED.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  CARD_PROMPT_MAX_CHARS,
  resultMessage,
  statusCard,
} from '../../src/adapters/slack/render.ts';
import { USER_GROUP_CACHE_MS, userGroupsNamedIn } from '../../src/adapters/slack/user-groups.ts';
import { actionId, type CardAction, sharePickerId } from '../../src/chat/card-actions.ts';
import { buildResultView } from '../../src/chat/result-view.ts';
import { MemoryWatchStore } from '../../src/store/memory-watch-store.ts';
import { type OpenedStore, openWatchStore } from '../../src/store/open-store.ts';
import {
  type FakeSlackApi,
  type OpenedView,
  type PostedMessage,
  sendBlockAction,
  sendSlashCommand,
  sendViewSubmission,
} from '../fakes/slack-api.ts';
import type { FakeSoraApi } from '../fakes/sora-api.ts';
import { FIXTURE } from '../fakes/video-cdn.ts';
import { ManualClock } from '../support/manual-clock.ts';
import {
  SLACK_SIGNING_SECRET,
  type SlackBot,
  type SlackBotSetup,
  type SlackFakes,
  startSlackBot,
  startSlackFakes,
} from '../support/slack-bot.ts';
import { waitFor } from '../support/wait-for.ts';

const API_KEY = 'slack-buttons-key';
const clock = new ManualClock();
let fakes: SlackFakes;
let api: FakeSoraApi;
let slack: FakeSlackApi;
let workDir: string;
let storeFile: string;
let store: OpenedStore;
let bot: SlackBot;

const ASKER = 'U0ANN';
const STRANGER = 'U0BOB';
/** One of ADMIN_USERS: may press every button of every card. */
const ADMIN = 'U0BOSS';
const VEO_FORM = {
  model: 'veo_3_1_fast',
  prompt: 'A lighthouse in a storm',
  orientation: '16:9',
};

function botSetup(extra: Partial<SlackBotSetup> = {}): SlackBotSetup {
  return {
    slackApiUrl: slack.apiUrl,
    soraApi: { baseUrl: api.baseUrl, apiKey: API_KEY },
    clock,
    store,
    downloadsDir: path.join(workDir, 'downloads'),
    makesVideos: true,
    limits: { allowed: 'everyone', admins: [`slack:${ADMIN}`], dailyVideos: 50 },
    ...extra,
  };
}

before(async () => {
  fakes = await startSlackFakes({ apiKey: API_KEY, clock, name: 'sora-slack-buttons' });
  ({ slack, api, workDir } = fakes);
  storeFile = path.join(workDir, 'bot.sqlite');
  store = await openWatchStore(`sqlite://${storeFile}`);
  bot = await startSlackBot(botSetup());
});

after(async () => {
  await bot.stop();
  await store.close();
  await fakes.close();
});

type Element = { type: string; action_id: string; text?: { text: string }; style?: string };
type Block = { type: string; text?: { text: string }; elements?: Element[] };

/** What the message shows now: its last edit, or as posted. */
const blocksOf = (message: PostedMessage) =>
  (message.edits.at(-1)?.blocks ?? message.blocks ?? []) as Block[];
/** The card's buttons as [label, action id, style]. */
const buttonsOf = (message: PostedMessage) =>
  blocksOf(message)
    .filter((b) => b.type === 'actions')
    .flatMap((b) => b.elements ?? [])
    .map((e) => [e.text?.text, e.action_id, e.style]);
const cardOf = (channel: string, taskId: string) =>
  slack.messages.find((m) => m.channel === channel && JSON.stringify(m.blocks).includes(taskId));
const sectionsOf = (view: Record<string, unknown> | undefined) =>
  ((view?.blocks ?? []) as Block[])
    .filter((b) => b.type === 'section')
    .map((b) => b.text?.text ?? '')
    .join('\n');

/** Runs `/sora-create` in `channelId` as `userId` and submits the form; resolves with the modal. */
async function submitCreate(
  channelId: string,
  userId: string,
  values: Record<string, string> = VEO_FORM,
): Promise<OpenedView> {
  const opened = slack.views.length;
  await sendSlashCommand({
    url: bot.eventsUrl,
    signingSecret: SLACK_SIGNING_SECRET,
    command: '/sora-create',
    text: '',
    channelId,
    userId,
    responseUrl: slack.responseUrl(),
  });
  await waitFor(() => slack.views.length > opened, 'the form');
  const view = slack.views[opened] as OpenedView;
  await submitForm(view, userId, values);
  return view;
}

/** Submits a modal as `userId`; resolves once it shows how the create went. */
async function submitForm(view: OpenedView, userId: string, values: Record<string, string>) {
  const versions = view.versions.length;
  const answer = await sendViewSubmission({
    url: bot.eventsUrl,
    signingSecret: SLACK_SIGNING_SECRET,
    userId,
    opened: view,
    values,
  });
  assert.equal(answer.ack?.response_action, 'update');
  await waitFor(() => view.versions.length > versions, 'the outcome in the modal');
}

/** Makes a video as the asker in `channelId`; resolves with its task id and status card. */
async function makeVideo(channelId: string): Promise<{ taskId: string; card: PostedMessage }> {
  const view = await submitCreate(channelId, ASKER);
  const taskId = /Started (vgen_\w+)/.exec(sectionsOf(view.view))?.[1];
  assert.ok(taskId, sectionsOf(view.view));
  const card = cardOf(channelId, taskId);
  assert.ok(card, 'the status card');
  return { taskId, card };
}

/** Presses a button of `message` as `userId`; resolves with the private answer's body. */
async function press(
  message: PostedMessage,
  action: CardAction,
  taskId: string,
  userId: string,
  waitWith: (condition: () => boolean, what: string) => Promise<void> = waitFor,
): Promise<Record<string, unknown>> {
  const responseUrl = slack.responseUrl();
  const ack = await sendBlockAction({
    url: bot.eventsUrl,
    signingSecret: SLACK_SIGNING_SECRET,
    userId,
    channelId: message.channel,
    message: { ts: message.ts, blocks: blocksOf(message) },
    actionId: actionId(action, taskId),
    responseUrl,
  });
  assert.equal(ack.status, 200);
  assert.equal(ack.body, '', 'a bare ack');
  return answerAt(responseUrl, waitWith);
}

async function answerAt(
  responseUrl: string,
  waitWith: (condition: () => boolean, what: string) => Promise<void> = waitFor,
): Promise<Record<string, unknown>> {
  const id = responseUrl.slice(responseUrl.lastIndexOf('/') + 1);
  await waitWith(() => slack.responses.some((r) => r.id === id), 'the private answer');
  return slack.responses.find((r) => r.id === id)?.body ?? {};
}

const finishedButtons = (taskId: string) => [
  ['Rerun', actionId('rerun', taskId), 'primary'],
  ['Edit & rerun', actionId('edit', taskId), undefined],
  ['Share to…', actionId('share', taskId), undefined],
  ['Details', actionId('details', taskId), undefined],
];

/** Moves virtual time on until the card carries the finished task's buttons. */
const untilFinished = (card: PostedMessage, taskId: string) =>
  clock.stepUntil(
    () =>
      JSON.stringify(buttonsOf(card)) === JSON.stringify(finishedButtons(taskId)) &&
      JSON.stringify(blocksOf(card)).includes('Go to the clip'),
    'the finished card',
  );

describe('buttons on Slack status cards', () => {
  let finished: { taskId: string; card: PostedMessage };

  it('a made video’s card quotes the prompt, says its parameters and carries Stop watching while running', async () => {
    const { taskId, card } = await makeVideo('C0STOP');
    assert.deepEqual(buttonsOf(card), [['Stop watching', actionId('stop', taskId), 'danger']]);
    const text = JSON.stringify(blocksOf(card));
    assert.match(text, /> A lighthouse in a storm/);
    assert.match(text, /VEO 3\.1 Fast · 16:9 · 8 s · 720p/);

    const refused = await press(card, 'stop', taskId, STRANGER);
    assert.deepEqual(refused, {
      response_type: 'ephemeral',
      replace_original: false,
      text: `Sorry, only the person who asked for ${taskId}, or an admin of the bot, can stop watching it.`,
    });
    assert.equal(bot.tracker.list('slack:C0STOP').length, 1, 'still watched');

    const stopped = await press(card, 'stop', taskId, ASKER);
    assert.equal(stopped.text, `Stopped watching ${taskId} here.`);
    await waitFor(
      () => JSON.stringify(blocksOf(card)).includes('No longer watched here'),
      'the card saying so',
    );
    assert.equal(bot.tracker.list('slack:C0STOP').length, 0);
    assert.ok(
      !buttonsOf(card).some(([label]) => label === 'Stop watching'),
      'no Stop watching once stopped',
    );
  });

  it('once the clip is posted, the card carries Rerun, Edit & rerun, Share to… and Details', async () => {
    finished = await makeVideo('C0BTN');
    await untilFinished(finished.card, finished.taskId);
    assert.ok(slack.sharesIn('C0BTN').length === 1, 'the clip is in the channel');
  });

  it('Details answers privately with the prompt and the parameters', async () => {
    const { taskId, card } = finished;
    const details = await press(card, 'details', taskId, STRANGER);
    assert.equal(details.response_type, 'ephemeral');
    assert.equal(details.replace_original, false);
    assert.match(String(details.text), new RegExp(`^Task ${taskId}\\nModel: VEO 3\\.1 Fast`));
    assert.match(String(details.text), /\nParameters: VEO 3\.1 Fast · 16:9 · 8 s · 720p\n/);
    assert.match(String(details.text), /\nPrompt: A lighthouse in a storm\n/);
    assert.match(String(details.text), /\nMade by: <@U0ANN> on /, 'people stay mentions');
  });

  it('Rerun makes exactly one new video, however often it is pressed, and posts its card', async () => {
    const { taskId, card } = finished;
    assert.match(
      String((await press(card, 'rerun', taskId, STRANGER)).text),
      /^Sorry, only the person who asked/,
    );
    const creates = api.creates.length;
    const cards = slack.messages.filter((m) => m.channel === 'C0BTN').length;
    const [first, second] = await Promise.all([
      press(card, 'rerun', taskId, ASKER, (c, w) => clock.stepUntil(c, w)),
      press(card, 'rerun', taskId, ASKER, (c, w) => clock.stepUntil(c, w)),
    ]);
    assert.equal(api.creates.length - creates, 1, 'a double click makes one video');
    assert.deepEqual(api.creates.at(-1)?.body, {
      model: 'veo_3_1_fast',
      prompt: 'A lighthouse in a storm',
      aspect_ratio: '16:9',
    });
    const rerunId = api.creates.at(-1)?.taskId ?? '';
    const texts = [String(first.text), String(second.text)];
    const started = texts.find((t) => t.startsWith('Started')) ?? '';
    assert.match(
      started,
      new RegExp(
        `^Started ${rerunId} \\(VEO 3\\.1 Fast\\), a rerun of ${taskId}; watching it here\\.`,
      ),
    );
    assert.match(
      texts.find((t) => t.startsWith('That rerun')) ?? '',
      new RegExp(`already started: it is ${rerunId}`),
    );
    const rerunCard = cardOf('C0BTN', rerunId);
    assert.ok(rerunCard, 'the rerun’s card is in the channel');
    assert.equal(slack.messages.filter((m) => m.channel === 'C0BTN').length, cards + 1);
    const permalink = `https://fake.slack.com/archives/C0BTN/p${rerunCard.ts.replace('.', '')}`;
    assert.ok(started.includes(`<${permalink}|See the status card.>`), started);
  });

  it('Edit & rerun opens the form pre-filled with the press’s trigger_id; sending it makes a video', async () => {
    const { taskId, card } = finished;
    const views = slack.views.length;
    const refused = await press(card, 'edit', taskId, STRANGER);
    assert.match(String(refused.text), /^Sorry, only the person who asked .* can edit and rerun/);

    const responseUrl = slack.responseUrl();
    await sendBlockAction({
      url: bot.eventsUrl,
      signingSecret: SLACK_SIGNING_SECRET,
      userId: ASKER,
      channelId: 'C0BTN',
      message: { ts: card.ts, blocks: blocksOf(card) },
      actionId: actionId('edit', taskId),
      responseUrl,
      triggerId: '11.22.33',
    });
    await waitFor(() => slack.views.length > views, 'the form');
    const form = slack.views[views] as OpenedView;
    assert.equal(form.triggerId, '11.22.33');
    assert.equal(form.view.callback_id, 'sora-create');
    assert.equal(form.view.private_metadata, 'C0BTN');
    const initial = (id: string) => {
      const block = (
        form.view.blocks as { block_id?: string; element?: Record<string, unknown> }[]
      ).find((b) => b.block_id === id)?.element;
      return (
        (block?.initial_option as { value?: string } | undefined)?.value ?? block?.initial_value
      );
    };
    assert.equal(initial('model'), 'veo_3_1_fast');
    assert.equal(initial('prompt'), 'A lighthouse in a storm');
    assert.equal(initial('orientation'), '16:9');

    const creates = api.creates.length;
    await submitForm(form, ASKER, { ...VEO_FORM, prompt: 'A lighthouse at dawn' });
    assert.match(sectionsOf(form.view), /Started vgen_\w+ \(VEO 3\.1 Fast\)/);
    assert.equal(api.creates.length, creates + 1);
    assert.equal(
      (api.creates.at(-1)?.body as { prompt?: string } | undefined)?.prompt,
      'A lighthouse at dawn',
    );
    assert.ok(
      !slack.responses.some((r) => r.id === responseUrl.slice(responseUrl.lastIndexOf('/') + 1)),
      'the form is the answer',
    );
  });

  it('Share to… offers a channel picker; picking one posts the clip there, saying who shared it', async () => {
    const { taskId, card } = finished;
    const picker = await press(card, 'share', taskId, STRANGER);
    assert.equal(picker.response_type, 'ephemeral');
    assert.equal(picker.replace_original, false);
    assert.equal(picker.text, `Where should ${taskId} be shared? Pick a channel.`);
    const select = (picker.blocks as Block[])
      .flatMap((b) => b.elements ?? [])
      .find((e) => e.type === 'conversations_select') as Element & { filter?: unknown };
    assert.equal(select.action_id, sharePickerId(taskId));
    assert.deepEqual(select.filter, { include: ['public', 'private'], exclude_bot_users: true });

    const responseUrl = slack.responseUrl();
    await sendBlockAction({
      url: bot.eventsUrl,
      signingSecret: SLACK_SIGNING_SECRET,
      userId: STRANGER,
      channelId: 'C0BTN',
      message: { blocks: picker.blocks as unknown[] },
      ephemeral: true,
      actionId: sharePickerId(taskId),
      selectedConversation: 'C0REVIEW',
      responseUrl,
    });
    assert.deepEqual(await answerAt(responseUrl), {
      response_type: 'ephemeral',
      replace_original: true,
      text: `Sharing ${taskId} there: the clip will be posted in a moment.`,
    });
    await clock.stepUntil(() => slack.sharesIn('C0REVIEW').length > 0, 'the shared clip');
    const shared = slack.files.find((f) => f.shares.some((s) => s.channel === 'C0REVIEW'));
    assert.deepEqual(shared?.bytes, FIXTURE);
    const [original] = slack.sharesIn('C0BTN');
    const link = `https://fake.slack.com/archives/C0BTN/p${original?.ts.replace('.', '')}`;
    assert.match(shared?.initialComment ?? '', /^:clapper: /, 'nobody is mentioned first');
    assert.ok(
      shared?.initialComment?.includes(
        `Shared by <@${STRANGER}> from <${link}|the original post>.`,
      ),
      shared?.initialComment,
    );
    const clipsHere = slack.files.filter((f) => f.filename === `${taskId}.mp4`);
    assert.deepEqual(
      clipsHere.flatMap((f) => f.shares.map((s) => s.channel)),
      ['C0BTN', 'C0REVIEW'],
      'the first channel gets nothing again',
    );
  });

  it('a failure without a clip is announced with its buttons under it: Details for a task made elsewhere', async () => {
    api.addTask({ id: 'vgen_btn_failed', model: 'veo_3_1_fast', outcome: 'failed' });
    await sendSlashCommand({
      url: bot.eventsUrl,
      signingSecret: SLACK_SIGNING_SECRET,
      command: '/sora-status',
      text: 'vgen_btn_failed',
      channelId: 'C0BTNFAIL',
      userId: ASKER,
      responseUrl: slack.responseUrl(),
    });
    const failure = () =>
      slack.messages.find(
        (m) => m.channel === 'C0BTNFAIL' && m.text.includes('ended without a video'),
      );
    await clock.stepUntil(() => failure() !== undefined, 'the failure');
    const message = failure() as PostedMessage;
    assert.deepEqual(buttonsOf(message), [
      ['Details', actionId('details', 'vgen_btn_failed'), undefined],
    ]);
    const details = await press(message, 'details', 'vgen_btn_failed', STRANGER);
    assert.match(String(details.text), /^Task vgen_btn_failed\nModel: VEO 3\.1 Fast/);
  });

  it('a button pressed after a restart still works: Details, and Rerun by an admin', async () => {
    const { taskId, card } = finished;
    await bot.stop();
    await store.close();
    store = await openWatchStore(`sqlite://${storeFile}`);
    bot = await startSlackBot(botSetup());

    const details = await press(card, 'details', taskId, STRANGER);
    assert.match(String(details.text), /\nPrompt: A lighthouse in a storm\n/);
    const creates = api.creates.length;
    const rerun = await press(card, 'rerun', taskId, ADMIN, (c, w) => clock.stepUntil(c, w));
    assert.match(String(rerun.text), new RegExp(`^Started vgen_\\w+ .*a rerun of ${taskId}`));
    assert.equal(api.creates.length, creates + 1);
  });
});

describe('CREATE_ALLOWED naming a Slack user group', () => {
  it('lets a member create and refuses anyone else; members are looked up once in five minutes', async () => {
    const previous = bot;
    slack.setUserGroup('S0DESIGN', ['U0DESIGNER', 'U0OTHER']);
    bot = await startSlackBot(
      botSetup({
        store: new MemoryWatchStore(() => clock.now()),
        limits: { allowed: ['slack:S0DESIGN'], admins: [], dailyVideos: 10 },
      }),
    );
    try {
      const lookups = () => slack.callsOf('usergroups.users.list');
      const member = await submitCreate('C0GROUP', 'U0DESIGNER');
      assert.match(sectionsOf(member.view), /^Started vgen_\w+/);
      assert.deepEqual(
        lookups().map((c) => c.params.usergroup),
        ['S0DESIGN'],
      );

      const creates = api.creates.length;
      const stranger = await submitCreate('C0GROUP', 'U0STRANGER');
      assert.match(
        sectionsOf(stranger.view),
        /Making videos from here is open to some people only, and you are not among them yet/,
      );
      assert.equal(stranger.view.callback_id, 'sora-create', 'the form stays, values kept');
      assert.equal(api.creates.length, creates, 'nothing sent');
      assert.equal(lookups().length, 1, 'the members were kept');

      // Past five minutes Slack is asked again; a failed look-up counts as no groups.
      await clock.advance(USER_GROUP_CACHE_MS);
      slack.fail('usergroups.users.list', { error: 'missing_scope' });
      const unlucky = await submitCreate('C0GROUP', 'U0OTHER');
      assert.match(sectionsOf(unlucky.view), /you are not among them yet/);
      assert.equal(lookups().length, 2);
      const again = await submitCreate('C0GROUP', 'U0OTHER');
      assert.match(sectionsOf(again.view), /^Started vgen_\w+/, 'a failure is not kept');
      assert.equal(lookups().length, 3);
    } finally {
      await bot.stop();
      bot = previous;
    }
  });
});

describe('the card and the shared clip as Slack shows them', () => {
  it('quotes a long prompt cut short and escaped, line by line', () => {
    const prompt = `<!channel> & a fox\nin snow ${'x'.repeat(400)}`;
    const card = statusCard({
      taskId: 'vgen_x',
      status: 'queued',
      tone: 'waiting',
      startedAt: 0,
      elapsedMs: 0,
      progressBar: '',
      requesters: ['U1'],
      prompt,
      parameters: 'VEO 3.1 Fast · 16:9 · 8 s · 720p',
      actions: ['stop'],
    });
    const quoted = (card.blocks as Block[]).find((b) => b.text?.text.startsWith('> '))?.text?.text;
    assert.ok(quoted?.startsWith('> &lt;!channel&gt; &amp; a fox\n> in snow xxx'), quoted);
    assert.ok(quoted?.endsWith('x…'), 'cut, and said so');
    const visible = quoted
      ?.slice('> '.length)
      .replaceAll('\n> ', '\n')
      .replaceAll('&lt;', '<')
      .replaceAll('&gt;', '>')
      .replaceAll('&amp;', '&');
    assert.equal(visible?.length, CARD_PROMPT_MAX_CHARS);
    assert.equal((card.blocks as Block[]).at(-1)?.type, 'actions', 'the buttons come last');
  });

  it('says who shared a clip, with a link back only when there is one', () => {
    const video = {
      task: {
        id: 'vgen_x',
        object: 'video',
        created: 0,
        model: 'veo_3_1_fast',
        status: 'completed',
      },
      file: { path: '/tmp/vgen_x.mp4', bytes: 4096 },
    };
    const shared = { requesters: [], shared: { by: 'U0BOB' } };
    assert.equal(
      resultMessage(buildResultView(shared, video)),
      ':clapper: *vgen_x* is ready (VEO 3.1 Fast). Shared by <@U0BOB>.',
    );
  });

  it('reads the Slack user groups out of CREATE_ALLOWED', () => {
    assert.deepEqual(userGroupsNamedIn('everyone'), []);
    assert.deepEqual(
      userGroupsNamedIn(['slack:U0123', 'slack:S0DESIGN', 'discord:123456789', 'slack:S0OPS']),
      ['S0DESIGN', 'S0OPS'],
    );
  });
});
