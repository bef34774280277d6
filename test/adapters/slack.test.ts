import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { resultMessage, statusCard } from '../../src/adapters/slack/render.ts';
import { decodeSlackTarget, encodeSlackTarget } from '../../src/adapters/slack/targets.ts';
import { PlaceGone } from '../../src/chat/port.ts';
import { buildResultView } from '../../src/chat/result-view.ts';
import { MemoryWatchStore } from '../../src/store/memory-watch-store.ts';
import { type FakeSlackApi, sendSlashCommand } from '../fakes/slack-api.ts';
import type { FakeSoraApi } from '../fakes/sora-api.ts';
import { FIXTURE } from '../fakes/video-cdn.ts';
import { ManualClock, settle } from '../support/manual-clock.ts';
import {
  SLACK_SIGNING_SECRET,
  type SlackBot,
  type SlackFakes,
  startSlackBot,
  startSlackFakes,
} from '../support/slack-bot.ts';
import { waitFor } from '../support/wait-for.ts';

const API_KEY = 'slack-test-key';

const clock = new ManualClock();
const store = new MemoryWatchStore();
let fakes: SlackFakes;
let api: FakeSoraApi;
let slack: FakeSlackApi;
let workDir: string;
let bot: SlackBot;

/** One bot process: the tracker, its Sora client and the Slack adapter, sharing the store. */
const startBot = (): Promise<SlackBot> =>
  startSlackBot({
    slackApiUrl: slack.apiUrl,
    soraApi: { baseUrl: api.baseUrl, apiKey: API_KEY },
    clock,
    store,
    downloadsDir: path.join(workDir, 'downloads'),
  });

before(async () => {
  fakes = await startSlackFakes({ apiKey: API_KEY, clock, name: 'sora-slack' });
  ({ slack, api, workDir } = fakes);
  bot = await startBot();
});

after(async () => {
  await bot.stop();
  await fakes.close();
});

function command(
  text: string,
  channelId: string,
  extra: { command?: string; timestamp?: number; signature?: string; userId?: string } = {},
) {
  return sendSlashCommand({
    url: bot.eventsUrl,
    signingSecret: SLACK_SIGNING_SECRET,
    command: extra.command ?? '/sora-status',
    text,
    channelId,
    userId: extra.userId ?? 'U0ANN',
    responseUrl: slack.responseUrl(),
    ...(extra.timestamp === undefined ? {} : { timestamp: extra.timestamp }),
    ...(extra.signature === undefined ? {} : { signature: extra.signature }),
  });
}

/** Moves virtual time to the next due job until `condition` holds. */
const runUntil = (condition: () => boolean, what: string) => clock.stepUntil(condition, what);

const messagesIn = (channel: string) => slack.messages.filter((m) => m.channel === channel);
const cardText = (blocks: unknown) => JSON.stringify(blocks);
/** The text of the private answer that names `taskId`, once it has arrived. */
const answerAbout = (taskId: string) =>
  slack.responses.map((r) => String(r.body.text)).find((text) => text.includes(taskId));

describe('Slack adapter against a fake Slack, with the real tracker', () => {
  it('posts a card, edits it as the task moves on, then uploads the clip with a mention', async () => {
    api.addTask({ id: 'sora_slack_ok', queuedMs: 20_000, processingMs: 90_000, actualDuration: 4 });
    const ack = await command('sora_slack_ok', 'C0OK');
    assert.equal(ack.status, 200);
    assert.ok(ack.ms < 3000, `acknowledged in ${ack.ms} ms`);
    await waitFor(() => slack.responses.length === 1, 'the ephemeral answer');
    assert.equal(slack.responses[0]?.body.response_type, 'ephemeral');
    assert.match(
      String(slack.responses[0]?.body.text),
      /Watching sora_slack_ok \(Sora 2 Plus, queued\)/,
    );
    assert.match(String(slack.responses[0]?.body.text), /fake\.slack\.com\/archives\/C0OK/);

    const [card] = messagesIn('C0OK');
    assert.ok(card, 'a card in the asking channel');
    assert.match(cardText(card.blocks), /sora_slack_ok/);
    assert.match(cardText(card.blocks), /<@U0ANN>/);
    assert.match(cardText(card.blocks), /:hourglass_flowing_sand:/);

    await runUntil(() => slack.files.some((f) => f.channel === 'C0OK'), 'the upload');
    assert.equal(messagesIn('C0OK').length, 1, 'one card, edited, never posted again');
    const edits = card.edits.map((e) => e.text);
    assert.ok(
      edits.some((t) => t.endsWith('processing')),
      edits.join(', '),
    );
    assert.equal(edits.at(-1), 'sora_slack_ok: completed');
    assert.match(cardText(card.edits.at(-1)?.blocks), /:white_check_mark:/);
    const [file] = slack.files;
    assert.deepEqual(file?.bytes, FIXTURE);
    assert.equal(file?.filename, 'sora_slack_ok.mp4');
    assert.match(file?.initialComment ?? '', /^<@U0ANN> .*sora_slack_ok.*Sora 2 Plus, 4 s clip/);
    // The card's last edit links to the message that shared the clip.
    const [share] = slack.sharesIn('C0OK');
    const permalink = `https://fake.slack.com/archives/C0OK/p${share?.ts.replace('.', '')}`;
    await runUntil(
      () => cardText(card.edits.at(-1)?.blocks).includes(permalink),
      'the link on the card',
    );
    assert.match(
      cardText(card.edits.at(-1)?.blocks),
      /<https:\/\/fake\.slack\.com[^|]*\|Go to the clip>/,
    );
  });

  it('says at once that the service is not answering, then posts the clip when it does', async () => {
    api.addTask({ id: 'sora_slack_hung', queuedMs: 5_000, processingMs: 30_000 });
    api.misbehave('sora_slack_hung', { kind: 'hang' });
    await command('sora_slack_hung', 'C0HUNG');
    await runUntil(() => answerAbout('sora_slack_hung') !== undefined, 'the answer');
    assert.match(
      answerAbout('sora_slack_hung') ?? '',
      /The service is not answering right now; watching sora_slack_hung anyway/,
    );
    await runUntil(() => slack.files.some((f) => f.channel === 'C0HUNG'), 'the upload');
  });

  it('tells the asker privately to invite the bot where it cannot post, and keeps no watch there', async () => {
    api.addTask({ id: 'sora_slack_invite', queuedMs: 5_000, processingMs: 30_000 });
    slack.fail('chat.postMessage', { error: 'not_in_channel', channel: 'G0INVITE' });
    slack.fail('conversations.join', { error: 'method_not_supported_for_channel_type' });
    await command('sora_slack_invite', 'G0INVITE');
    const invited = () => slack.responses.some((r) => /invite me/.test(String(r.body.text)));
    await waitFor(invited, 'the answer');
    const answer = slack.responses.map((r) => String(r.body.text)).at(-1) ?? '';
    assert.match(
      answer,
      /^Not watching sora_slack_invite here\. I cannot post in this conversation: invite me to it/,
    );
    assert.equal(slack.responses.at(-1)?.body.response_type, 'ephemeral');
    assert.deepEqual(bot.tracker.list('slack:G0INVITE'), []);
    assert.equal((await bot.tracker.find('sora_slack_invite'))?.watch.phase, 'finished');
    await clock.advance(120_000);
    assert.equal(messagesIn('G0INVITE').length, 0, 'nothing posted there, ever');
  });

  it('posts the link with the reason when the upload link refuses the clip every time', async () => {
    api.addTask({ id: 'sora_slack_refused', queuedMs: 5_000, processingMs: 30_000 });
    // Six attempts, each one upload refused: then the link goes out instead.
    slack.refuseUploads(500, 6);
    await command('sora_slack_refused', 'C0REFUSED');
    const linkPosted = () =>
      messagesIn('C0REFUSED').some((m) => /could not be posted here after 6 tries/.test(m.text));
    await runUntil(linkPosted, 'the link in the channel');
    const link = messagesIn('C0REFUSED').find((m) => /after 6 tries/.test(m.text));
    assert.match(link?.text ?? '', /<@U0ANN>/);
    assert.match(link?.text ?? '', /sora_slack_refused\.mp4/);
    assert.equal(slack.sharesIn('C0REFUSED').length, 0, 'no clip');
  });

  it('answers a task asked for again after its clip was posted from the record, posting nothing', async () => {
    api.addTask({ id: 'sora_slack_again', queuedMs: 5_000, processingMs: 30_000 });
    await command('sora_slack_again', 'C0ASKED');
    await runUntil(() => slack.files.some((f) => f.channel === 'C0ASKED'), 'the upload');
    for (let i = 0; i < 20; i += 1) {
      if ((await bot.tracker.find('sora_slack_again'))?.watch.phase === 'finished') break;
      await clock.step();
    }
    const answers = slack.responses.length;
    await command('sora_slack_again', 'C0ASKED', { userId: 'U0BOB' });
    await waitFor(() => slack.responses.length === answers + 1, 'the answer');
    assert.match(
      String(slack.responses.at(-1)?.body.text),
      /sora_slack_again has already been posted here \(Sora 2 Plus, completed\)/,
    );
    assert.equal(messagesIn('C0ASKED').length, 1, 'no second card');
    assert.equal(slack.files.filter((f) => f.channel === 'C0ASKED').length, 1, 'no second clip');
  });

  for (const [n, code] of ['cant_update_message', 'edit_window_closed'].entries()) {
    it(`posts a new card and keeps editing that one when chat.update says ${code}`, async () => {
      const id = `sora_slack_recard_${n}`;
      const channel = `C0RECARD${n}`;
      api.addTask({ id, queuedMs: 20_000, processingMs: 90_000 });
      await command(id, channel);
      await waitFor(() => answerAbout(id) !== undefined, 'the answer');
      const [old] = messagesIn(channel);
      assert.ok(old, 'the first card');
      slack.fail('chat.update', { error: code, channel });
      await runUntil(() => messagesIn(channel).length === 2, 'a new card');
      const fresh = messagesIn(channel)[1];
      assert.ok(fresh);
      assert.notEqual(fresh.ts, old.ts);
      assert.match(cardText(fresh.blocks), new RegExp(id));
      // The tracker keeps the new ts, so later views edit the new card.
      const stored = async () =>
        (await store.get(id))?.subscriptions.find((sub) => sub.target === `slack:${channel}`)
          ?.statusMessage;
      for (let i = 0; i < 200 && (await stored()) !== fresh.ts; i += 1) await settle();
      assert.equal(await stored(), fresh.ts);
      const oldEdits = old.edits.length;
      await runUntil(() => slack.files.some((f) => f.channel === channel), 'the upload');
      assert.equal(messagesIn(channel).length, 2, 'no third card');
      assert.equal(old.edits.length, oldEdits, 'the old card is left alone');
      assert.equal(fresh.edits.at(-1)?.text, `${id}: completed`);
      const updates = slack.callsOf('chat.update').filter((c) => c.params.channel === channel);
      assert.ok(updates.slice(1).every((c) => c.params.ts === fresh.ts));
    });
  }

  it('posts a fresh card once when the card is deleted; deleted again, only the clip follows', async () => {
    const id = 'sora_slack_card_deleted';
    const channel = 'C0DELETED';
    api.addTask({ id, queuedMs: 20_000, processingMs: 90_000 });
    await command(id, channel);
    await waitFor(() => answerAbout(id) !== undefined, 'the answer');
    const [old] = messagesIn(channel);
    assert.ok(old, 'the first card');
    slack.deleteMessage(channel, old.ts);
    await runUntil(() => messagesIn(channel).length === 1, 'a fresh card');
    const [fresh] = messagesIn(channel);
    assert.ok(fresh);
    assert.notEqual(fresh.ts, old.ts);
    slack.deleteMessage(channel, fresh.ts);
    const updatesBefore = slack.callsOf('chat.update').length;
    await runUntil(() => slack.sharesIn(channel).length === 1, 'the clip');
    assert.deepEqual(messagesIn(channel), [], 'the twice-deleted card is not brought back');
    const posts = slack.callsOf('chat.postMessage').filter((c) => c.params.channel === channel);
    assert.equal(posts.length, 2, 'the first card and one fresh card');
    const triedAfterDeletion = slack
      .callsOf('chat.update')
      .slice(updatesBefore)
      .filter((c) => c.params.ts === fresh.ts);
    assert.equal(triedAfterDeletion.length, 1, 'one refused edit of the deleted card, then none');
  });

  it('answers a second asker with a link to the existing card instead of a new one', async () => {
    api.addTask({ id: 'sora_slack_twice', queuedMs: 60_000, processingMs: 60_000 });
    await command('sora_slack_twice', 'C0TWICE');
    await waitFor(() => answerAbout('sora_slack_twice') !== undefined, 'the first answer');
    await command('sora_slack_twice', 'C0TWICE', { userId: 'U0BOB' });
    await waitFor(
      () =>
        slack.responses.filter((r) => String(r.body.text).includes('sora_slack_twice')).length ===
        2,
      'the second answer',
    );
    const second = slack.responses.map((r) => String(r.body.text)).at(-1) ?? '';
    assert.match(second, /already watched here/);
    const [card] = messagesIn('C0TWICE');
    assert.ok(second.includes(`archives/C0TWICE/p${card?.ts.replace('.', '')}`), second);
    assert.equal(messagesIn('C0TWICE').length, 1, 'no second card');
    // The card now names both askers (an edit held back at most the edit interval).
    const latestCard = () => cardText(card?.edits.at(-1)?.blocks ?? card?.blocks) ?? '';
    await runUntil(() => latestCard().includes('<@U0BOB>'), 'the second asker on the card');
    assert.match(latestCard(), /<@U0ANN>.*<@U0BOB>/);
    await bot.tracker.unwatch('sora_slack_twice', 'slack:C0TWICE');
  });

  it('joins a public channel it is not in, then posts', async () => {
    api.addTask({ id: 'sora_slack_join', queuedMs: 60_000, processingMs: 60_000 });
    slack.fail('chat.postMessage', { error: 'not_in_channel' });
    await command('sora_slack_join', 'C0JOIN');
    await waitFor(() => answerAbout('sora_slack_join') !== undefined, 'the answer');
    assert.equal(slack.callsOf('conversations.join').at(-1)?.params.channel, 'C0JOIN');
    assert.equal(messagesIn('C0JOIN').length, 1);
    await bot.tracker.unwatch('sora_slack_join', 'slack:C0JOIN');
  });

  it('mentions the requester with the reason when a task fails', async () => {
    api.addTask({
      id: 'sora_slack_bad',
      processingMs: 30_000,
      outcome: 'failed',
      error: 'Content policy violation',
    });
    assert.equal((await command('sora_slack_bad', 'C0FAIL')).status, 200);
    await runUntil(() => messagesIn('C0FAIL').length === 2, 'the failure message');
    const [card, notice] = messagesIn('C0FAIL');
    assert.match(
      notice?.text ?? '',
      /^<@U0ANN> :x: \*sora_slack_bad\* ended without a video \(Sora 2 Plus\): Content policy violation/,
    );
    assert.match(cardText(card?.edits.at(-1)?.blocks), /:x:/);
  });

  for (const family of [
    { id: 'vgen_slack_veo', model: 'veo_3_1_fast', name: 'VEO 3.1 Fast', clip: 8 },
    { id: 'video_slack_seedance', model: 'seedance_2_0', name: 'Seedance 2.0', clip: 5.04 },
    { id: 'proj_slack_videos', model: 'videos', name: 'Videos', clip: 12.5 },
  ]) {
    it(`names a ${family.name} task by its model on the card and with the clip`, async () => {
      const channel = `C0${family.id.toUpperCase().replaceAll('_', '')}`;
      api.addTask({
        id: family.id,
        model: family.model,
        queuedMs: 20_000,
        processingMs: 90_000,
        actualDuration: family.clip,
      });
      assert.equal((await command(family.id, channel)).status, 200);
      await waitFor(() => messagesIn(channel).length === 1, 'the card');
      const [card] = messagesIn(channel);
      assert.ok(
        cardText(card?.blocks).includes(`*Model*\\n${family.name}`),
        cardText(card?.blocks),
      );
      await runUntil(() => slack.files.some((f) => f.channel === channel), 'the upload');
      const file = slack.files.find((f) => f.channel === channel);
      assert.deepEqual(file?.bytes, FIXTURE);
      assert.equal(
        file?.initialComment,
        `<@U0ANN> :clapper: *${family.id}* is ready (${family.name}, ${family.clip} s clip).`,
      );
      assert.equal(card?.edits.at(-1)?.text, `${family.id}: completed`);
    });
  }

  it('lists each watched task with its model’s name and status', async () => {
    api.addTask({ id: 'vgen_slack_list', model: 'veo_3_1_pro', queuedMs: 60_000 });
    await command('vgen_slack_list', 'C0LIST');
    await waitFor(() => answerAbout('vgen_slack_list') !== undefined, 'the answer');
    const answers = slack.responses.length;
    await command('', 'C0LIST', { command: '/sora-list' });
    await waitFor(() => slack.responses.length === answers + 1, 'the list');
    assert.equal(
      slack.responses.at(-1)?.body.text,
      'Watching 1 here:\n• vgen_slack_list: VEO 3.1 Pro, queued',
    );
    await bot.tracker.unwatch('vgen_slack_list', 'slack:C0LIST');
  });

  it('says in plain words when the service cancelled a task', async () => {
    api.addTask({
      id: 'video_slack_cancel',
      model: 'seedance_2_0_fast',
      processingMs: 30_000,
      outcome: 'cancelled',
    });
    assert.equal((await command('video_slack_cancel', 'C0CANCEL')).status, 200);
    await runUntil(() => messagesIn('C0CANCEL').length === 2, 'the notice');
    const [card, notice] = messagesIn('C0CANCEL');
    assert.equal(
      notice?.text,
      '<@U0ANN> :x: *video_slack_cancel* ended without a video (Seedance 2.0 Fast): The task was cancelled at the service.',
    );
    const last = cardText(card?.edits.at(-1)?.blocks);
    assert.match(last, /:black_square_for_stop: \*video_slack_cancel\* · cancelled/);
    assert.match(last, /:warning: The task was cancelled at the service\./);
    assert.match(last, /Seedance 2\.0 Fast/);
  });

  it('posts the link with its expiry when Slack refuses the file', async () => {
    api.addTask({ id: 'sora_slack_big', processingMs: 10_000 });
    slack.fail('files.getUploadURLExternal', { error: 'file_uploads_disabled' });
    assert.equal((await command('sora_slack_big', 'C0BIG')).status, 200);
    await runUntil(() => messagesIn('C0BIG').length === 2, 'the link message');
    const notice = messagesIn('C0BIG')[1]?.text ?? '';
    assert.match(
      notice,
      /is ready \(Sora 2 Plus, 4 s clip\), but the clip could not be delivered here: file uploads are turned off/,
    );
    assert.match(
      notice,
      /<http:\/\/127\.0\.0\.1:\d+\/videos\/sora_slack_big\.mp4\|Download the video>/,
    );
    assert.match(
      notice,
      /<!date\^\d+\^\{date_short_pretty\} \{time\}\|\d{4}-\d\d-\d\d \d\d:\d\d UTC>/,
    );
  });

  it('posts the clip once and finishes the card without a link when Slack will not say where it is', async () => {
    const id = 'sora_slack_nolink';
    api.addTask({ id, queuedMs: 5_000, processingMs: 20_000 });
    const infoCalls = slack.callsOf('files.info').length;
    slack.fail('files.info', { error: 'internal_error' });
    await command(id, 'C0NOLINK');
    await runUntil(() => slack.sharesIn('C0NOLINK').length === 1, 'the clip');
    await runUntil(() => bot.tracker.list('slack:C0NOLINK').length === 0, 'the watch to finish');
    const [card] = messagesIn('C0NOLINK');
    assert.equal(card?.edits.at(-1)?.text, `${id}: completed`, 'the card shows the end');
    assert.doesNotMatch(cardText(card?.edits.at(-1)?.blocks), /Go to the clip/);
    assert.equal(slack.sharesIn('C0NOLINK').length, 1, 'shared once, not again for a link');
    assert.equal(slack.callsOf('files.info').length - infoCalls, 1, 'the refused look only');
  });

  it('answers bad input privately and posts nothing', async () => {
    const before = slack.messages.length;
    const responses = slack.responses.length;
    assert.equal((await command('../etc', 'C0BAD')).status, 200);
    assert.equal((await command('', 'C0BAD', { command: '/sora-unwatch' })).status, 200);
    await waitFor(() => slack.responses.length === responses + 2, 'two answers');
    const answers = slack.responses.slice(responses).map((r) => r.body);
    assert.ok(answers.every((a) => a.response_type === 'ephemeral'));
    assert.match(String(answers[0]?.text), /not a valid task id/);
    assert.match(String(answers[1]?.text), /Give a task id/);
    assert.equal(slack.messages.length, before);
  });

  it('refuses forged and stale requests with 401', async () => {
    const forged = await command('sora_slack_ok', 'C0OK', { signature: `v0=${'0'.repeat(64)}` });
    assert.equal(forged.status, 401);
    const stale = await command('sora_slack_ok', 'C0OK', {
      timestamp: Math.floor(Date.now() / 1000) - 600,
    });
    assert.equal(stale.status, 401);
  });

  it('waits out a 429 on the first post without posting twice', async () => {
    api.addTask({ id: 'sora_slack_429', queuedMs: 60_000, processingMs: 60_000 });
    slack.fail('chat.postMessage', { status: 429, retryAfter: 1 });
    const calls = slack.callsOf('chat.postMessage').length;
    await command('sora_slack_429', 'C0RATE');
    await waitFor(() => answerAbout('sora_slack_429') !== undefined, 'the answer', 4000);
    assert.equal(messagesIn('C0RATE').length, 1, 'the card, after the wait');
    assert.equal(slack.callsOf('chat.postMessage').length, calls + 2, 'one refused, one posted');
    await bot.tracker.unwatch('sora_slack_429', 'slack:C0RATE');
  });

  it('ends the subscription when the channel is gone, and keeps running', async () => {
    api.addTask({ id: 'sora_slack_gone', queuedMs: 60_000, processingMs: 60_000 });
    slack.fail('chat.postMessage', { error: 'channel_not_found' });
    assert.equal((await command('sora_slack_gone', 'C0GONE')).status, 200);
    await waitFor(() => answerAbout('sora_slack_gone') !== undefined, 'the answer');
    assert.equal(messagesIn('C0GONE').length, 0);
    const watch = await store.get('sora_slack_gone');
    assert.ok(
      watch === undefined || watch.subscriptions.every((s) => s.delivery === 'abandoned'),
      'the subscription ended',
    );
    assert.match(answerAbout('sora_slack_gone') ?? '', /^Not watching sora_slack_gone here\./);
    // No place left: the watch ends at once, nothing more is polled or sent.
    assert.equal((await bot.tracker.find('sora_slack_gone'))?.watch.phase, 'finished');
    assert.equal(messagesIn('C0GONE').length, 0, 'nothing sent to the gone channel');
  });

  it('ends the subscription when it cannot join a private channel it is not in', async () => {
    const sub = {
      target: 'slack:G0PRIVATE',
      requesters: ['U0ANN'],
      delivery: 'pending' as const,
      deliveryAttempts: 0,
      since: 0,
    };
    const view = {
      taskId: 'sora_x',
      status: 'queued',
      tone: 'waiting' as const,
      startedAt: 1_767_225_600_000,
      elapsedMs: 0,
      progressBar: '',
      requesters: ['U0ANN'],
    };
    slack.fail('chat.postMessage', { error: 'not_in_channel', channel: 'G0PRIVATE' });
    slack.fail('conversations.join', {
      error: 'method_not_supported_for_channel_type',
      channel: 'G0PRIVATE',
    });
    await assert.rejects(bot.adapter.showStatus(sub, view), PlaceGone);
    assert.equal(slack.callsOf('conversations.join').at(-1)?.params.channel, 'G0PRIVATE');

    api.addTask({ id: 'sora_slack_private', queuedMs: 60_000, processingMs: 60_000 });
    slack.fail('chat.postMessage', { error: 'not_in_channel', channel: 'G0SHUT' });
    slack.fail('conversations.join', {
      error: 'method_not_supported_for_channel_type',
      channel: 'G0SHUT',
    });
    const joins = slack.callsOf('conversations.join').length;
    assert.equal((await command('sora_slack_private', 'G0SHUT')).status, 200);
    await waitFor(() => answerAbout('sora_slack_private') !== undefined, 'the answer');
    assert.equal(slack.callsOf('conversations.join').length, joins + 1, 'one try to join');
    assert.equal(messagesIn('G0SHUT').length, 0);
    const watch = await store.get('sora_slack_private');
    assert.ok(
      watch === undefined || watch.subscriptions.every((s) => s.delivery === 'abandoned'),
      'the subscription ended',
    );
    await runUntil(() => bot.tracker.activeCount === 0, 'every watch to finish');
    assert.equal(messagesIn('G0SHUT').length, 0, 'nothing sent to the private channel');
  });

  it('ends the subscription when the upload finds the channel gone, without a link instead', async () => {
    const sub = {
      target: 'slack:C0VANISH',
      requesters: ['U0ANN'],
      delivery: 'pending' as const,
      deliveryAttempts: 0,
      since: 0,
    };
    const file = path.join(workDir, 'vanish.mp4');
    await writeFile(file, FIXTURE);
    const task = {
      id: 'sora_x',
      object: 'video.generation',
      created: Math.floor(Date.now() / 1000),
      model: 'openAiSora2Plus',
      status: 'completed',
    };
    slack.fail('files.completeUploadExternal', { error: 'channel_not_found', channel: 'C0VANISH' });
    await assert.rejects(
      bot.adapter.deliverVideo(sub, { task, file: { path: file, bytes: FIXTURE.length } }),
      PlaceGone,
    );
    assert.equal(messagesIn('C0VANISH').length, 0, 'no link posted instead');

    api.addTask({ id: 'sora_slack_vanish', processingMs: 10_000 });
    slack.fail('files.completeUploadExternal', { error: 'channel_not_found', channel: 'C0GONEUP' });
    assert.equal((await command('sora_slack_vanish', 'C0GONEUP')).status, 200);
    await waitFor(() => answerAbout('sora_slack_vanish') !== undefined, 'the answer');
    const completions = () =>
      slack
        .callsOf('files.completeUploadExternal')
        .filter((c) => c.params.channel_id === 'C0GONEUP');
    await runUntil(() => completions().length === 1, 'the refused upload');
    await runUntil(() => bot.tracker.activeCount === 0, 'every watch to finish');
    assert.equal(completions().length, 1, 'the upload is not tried again');
    assert.equal(messagesIn('C0GONEUP').length, 1, 'the card only: no link message');
    assert.ok(slack.files.every((f) => f.channel !== 'C0GONEUP'));
  });

  it('acknowledges at once while the Sora API is slow', async () => {
    api.addTask({ id: 'sora_slack_slow', queuedMs: 60_000 });
    api.misbehave('sora_slack_slow', { kind: 'slow', ms: 3500 });
    const ack = await command('sora_slack_slow', 'C0SLOW');
    assert.equal(ack.status, 200);
    assert.ok(ack.ms < 1000, `acknowledged in ${ack.ms} ms`);
    assert.equal(answerAbout('sora_slack_slow'), undefined, 'the answer comes after the ack');
    await waitFor(() => answerAbout('sora_slack_slow') !== undefined, 'the answer', 6000);
    assert.match(
      answerAbout('sora_slack_slow') ?? '',
      /Watching sora_slack_slow \(Sora 2 Plus, queued\)/,
    );
    await bot.tracker.unwatch('sora_slack_slow', 'slack:C0SLOW');
  });

  it('carries on editing the same card after a restart', async () => {
    api.addTask({ id: 'sora_slack_restart', queuedMs: 20_000, processingMs: 60_000 });
    await command('sora_slack_restart', 'C0AGAIN');
    await waitFor(() => answerAbout('sora_slack_restart') !== undefined, 'the answer');
    const [card] = messagesIn('C0AGAIN');
    assert.ok(card);
    assert.equal(bot.adapter.connected(), true, 'listening');
    await bot.stop();
    assert.equal(bot.adapter.connected(), false, 'stopped');
    bot = await startBot();
    await runUntil(() => slack.files.some((f) => f.channel === 'C0AGAIN'), 'the upload');
    assert.equal(messagesIn('C0AGAIN').length, 1, 'the old card, not a new one');
    assert.equal(card.edits.at(-1)?.text, 'sora_slack_restart: completed');
    assert.match(
      slack.files.find((f) => f.channel === 'C0AGAIN')?.initialComment ?? '',
      /^<@U0ANN> /,
    );
  });
});

describe('Slack targets and rendering', () => {
  it('round-trips channel targets and refuses others', () => {
    assert.equal(encodeSlackTarget('C0123ABC'), 'slack:C0123ABC');
    assert.deepEqual(decodeSlackTarget('slack:C0123ABC'), { channelId: 'C0123ABC' });
    assert.deepEqual(decodeSlackTarget('slack:C0123:1718000000.0001'), { channelId: 'C0123' });
    assert.throws(() => decodeSlackTarget('discord:123'));
    assert.throws(() => encodeSlackTarget('general'));
  });

  it('escapes text from the API so it cannot turn into mentions or links', () => {
    const card = statusCard({
      taskId: 'sora_x',
      status: 'failed',
      tone: 'failed',
      startedAt: 1_767_225_600_000,
      elapsedMs: 61_000,
      progressBar: '',
      error: '<!channel> & <http://evil|click>',
      requesters: ['U1', 'U2'],
    });
    const text = JSON.stringify(card.blocks);
    assert.match(text, /&lt;!channel&gt; &amp; &lt;http:\/\/evil\|click&gt;/);
    assert.match(text, /Requested by <@U1> <@U2>/);
  });

  it('shows who asked from outside Slack as plain text, never as a mention', () => {
    const view = {
      taskId: 'sora_x',
      status: 'queued',
      tone: 'waiting' as const,
      startedAt: 1_767_225_600_000,
      elapsedMs: 1_000,
      progressBar: '',
      requesters: ['U1'],
      requestedBy: ['ci-pipeline', 'a&b'],
    };
    assert.match(JSON.stringify(statusCard(view).blocks), /Requested by <@U1> ci-pipeline a&amp;b/);
    const askers = { requesters: [], requestedBy: ['ci-pipeline'] };
    const video = {
      task: {
        id: 'sora_x',
        object: 'video.generation',
        created: 0,
        model: 'openAiSora2Plus',
        status: 'completed',
      },
      file: { path: '/tmp/sora_x.mp4', bytes: 4096 },
    };
    const comment = resultMessage(buildResultView(askers, video));
    assert.match(
      comment,
      /^:clapper: \*sora_x\* is ready \(Sora 2 Plus\)\. Requested by ci-pipeline\.$/,
    );
    assert.doesNotMatch(comment, /<@/);
    const failed = resultMessage(
      buildResultView(askers, { taskId: 'sora_x', reason: 'Prompt rejected' }),
    );
    assert.match(
      failed,
      /^:x: \*sora_x\* ended without a video: Prompt rejected\nRequested by ci-pipeline\.$/,
    );
    const old = { requesters: ['U1'] }; // a subscription stored before labels existed
    assert.match(
      resultMessage(buildResultView(old, video)),
      /^<@U1> :clapper: \*sora_x\* is ready/,
    );
  });
});
