// Slack's Bolt and the npm undici load before discord.js on purpose: together they once broke
// discord.js uploads, and production runs all three in one process.
import '@slack/bolt';
import 'undici';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { autocompleteChoices, commandFromSlash } from '../../src/adapters/discord/commands.ts';
import { DiscordAdapter } from '../../src/adapters/discord/index.ts';
import { resultText, statusEmbed } from '../../src/adapters/discord/render.ts';
import { encodeTarget } from '../../src/adapters/discord/targets.ts';
import { uploadLimitForTier } from '../../src/adapters/discord/upload-limit.ts';
import { createCommandHandler } from '../../src/chat/command-handler.ts';
import { type FinishedVideo, PlaceGone } from '../../src/chat/port.ts';
import { buildResultView } from '../../src/chat/result-view.ts';
import type { StatusView } from '../../src/chat/status-view.ts';
import { silentLogger } from '../../src/log.ts';
import type { Tracker } from '../../src/tracker/tracker.ts';
import type { Subscription } from '../../src/watch/watch.ts';
import type { FakeDiscord, RecordedCall } from '../fakes/discord.ts';
import type { FakeSoraApi } from '../fakes/sora-api.ts';
import { type FakeVideoCdn, FIXTURE, FIXTURE_PATH } from '../fakes/video-cdn.ts';
import { type DiscordRig, startDiscordRig } from '../support/discord-rig.ts';
import { type ManualClock, settle } from '../support/manual-clock.ts';
import { waitFor } from '../support/wait-for.ts';

const ANN = '300000000000000001';
const BOB = '300000000000000002';
const RED = 0xe74c3c;
const GREEN = 0x2ecc71;
/** Channels in servers the bot is in, without boosts (tier 0) and at boost tier 2. */
const UNBOOSTED_CHANNEL = '500000000000000001';
const TIER2_CHANNEL = '500000000000000002';
/** A channel in a server of its own, for the test that follows one task end to end. */
const SERVER_CHANNEL = '500000000000000003';
const SERVER = '600000000000000003';

let clock: ManualClock;
let api: FakeSoraApi;
let cdn: FakeVideoCdn;
let discord: FakeDiscord;
let tracker: Tracker;
let adapter: DiscordAdapter;
let rig: DiscordRig;
let channels = 0;

before(async () => {
  rig = await startDiscordRig({
    guilds: [
      { id: '600000000000000001', premiumTier: 0, channelIds: [UNBOOSTED_CHANNEL] },
      { id: '600000000000000002', premiumTier: 2, channelIds: [TIER2_CHANNEL] },
      { id: SERVER, premiumTier: 0, channelIds: [SERVER_CHANNEL] },
    ],
  });
  ({ clock, api, cdn, discord, tracker, adapter } = rig);
});

after(() => rig.close());

/** A fresh channel id per test, so tests never see each other's messages. */
function newChannel(): string {
  channels += 1;
  return `40000000000000000${channels}`.slice(-18);
}

/** Moves virtual time to the next due job until `condition` holds. */
const runUntil = (condition: () => boolean, what: string) => clock.stepUntil(condition, what);

/** A running task watched from a fresh channel, once its status message is posted. */
async function watchInNewChannel(taskId: string) {
  const channel = newChannel();
  api.addTask({ id: taskId, queuedMs: 60_000, processingMs: 120_000 });
  const first = slash('sora-status', channel, { id: taskId });
  await waitFor(() => discord.replies.get(first)?.content !== undefined, 'the answer');
  const [old] = discord.messagesIn(channel);
  assert.ok(old, 'the status message');
  return { channel, target: encodeTarget(channel), old };
}

function channelCalls(channelId: string): RecordedCall[] {
  return discord.calls.filter((call) => call.path.startsWith(`/channels/${channelId}/`));
}

interface EmbedField {
  name: string;
  value: string;
}

/** The Status field of every embed posted or edited in the channel, in order. */
function shownStatuses(channelId: string): string[] {
  return channelCalls(channelId).flatMap((call) => {
    const embed = (call.body?.embeds as { fields: EmbedField[] }[] | undefined)?.[0];
    const status = embed?.fields.find((field) => field.name === 'Status');
    return status ? [status.value] : [];
  });
}

function slash(name: string, channelId: string, options: Record<string, string> = {}) {
  return discord.sendSlashCommand({ name, options, channelId, userId: ANN });
}

function subscription(channelId: string, requesters = [ANN]): Subscription {
  return {
    target: encodeTarget(channelId),
    requesters,
    delivery: 'started',
    deliveryAttempts: 1,
    since: clock.now(),
  };
}

function finishedVideo(taskId: string, bytes = FIXTURE.length): FinishedVideo {
  return {
    task: {
      id: taskId,
      status: 'completed',
      created: Math.floor(clock.now() / 1000),
      model: 'openAiSora2Plus',
      videoUrl: `${cdn.baseUrl}/videos/${taskId}.mp4`,
      actualDuration: 4,
    },
    file: { path: fileURLToPath(FIXTURE_PATH), bytes },
    linkExpiresAt: clock.now() + 24 * 60 * 60 * 1000,
    prompt: 'a lighthouse in the fog',
  } as FinishedVideo;
}

describe('DiscordAdapter', () => {
  it('defers /sora-status, keeps one status message up to date and attaches the MP4 with a ping', async () => {
    const channel = SERVER_CHANNEL;
    api.addTask({ id: 'sora_discord1', queuedMs: 20_000, processingMs: 90_000, actualDuration: 4 });
    const interaction = slash('sora-status', channel, { id: 'sora_discord1' });
    await waitFor(() => discord.replies.get(interaction)?.content !== undefined, 'the answer');

    const reply = discord.replies.get(interaction);
    assert.equal(reply?.deferred, true, 'deferred first');
    assert.equal(reply?.ephemeral, true);
    const [status] = discord.messagesIn(channel);
    assert.ok(status, 'the status message is posted in the channel');
    assert.match(reply?.content ?? '', /Watching sora_discord1/);
    assert.ok(reply?.content?.includes(status.id), 'the answer links to the status message');
    assert.equal(status.embeds[0]?.title, 'Video task sora_discord1');

    await runUntil(() => discord.messagesIn(channel).length === 2, 'the delivery');
    assert.deepEqual([...new Set(shownStatuses(channel))], ['queued', 'processing', 'completed']);
    assert.ok(status.edits >= 2, 'edited in place');
    assert.equal(status.embeds[0]?.color, GREEN);
    assert.match(JSON.stringify(status.embeds[0]), new RegExp(`<@${ANN}>`));

    const delivery = discord.messagesIn(channel)[1];
    assert.ok(delivery);
    assert.equal(delivery.attachments.length, 1);
    assert.equal(delivery.attachments[0]?.name, 'sora_discord1.mp4');
    assert.equal(delivery.attachments[0]?.contentType, 'video/mp4');
    assert.deepEqual(delivery.attachments[0]?.bytes, FIXTURE);
    assert.match(delivery.content, new RegExp(`^<@${ANN}> .*sora_discord1 is ready.*4 s clip`));
    assert.deepEqual(delivery.allowedMentions, { users: [ANN] });
    assert.ok(delivery.nonce && delivery.nonce.length <= 25);
    const upload = channelCalls(channel).find((call) => call.files.length > 0);
    assert.equal(upload?.body?.enforce_nonce, true);
    // The card's last edit links to the clip's message.
    const result = () =>
      (status.embeds[0]?.fields as EmbedField[] | undefined)?.find((f) => f.name === 'Result');
    await runUntil(() => result() !== undefined, 'the link on the card');
    assert.match(
      result()?.value ?? '',
      new RegExp(
        `^\\[Go to the clip\\]\\(https://discord\\.com/channels/${SERVER}/${channel}/${delivery.id}\\)$`,
      ),
    );
  });

  it('turns the status red and pings the requesters with the reason when a task fails', async () => {
    const channel = newChannel();
    api.addTask({
      id: 'sora_discord2',
      processingMs: 30_000,
      outcome: 'failed',
      error: 'Content policy violation',
    });
    slash('sora-status', channel, { id: 'sora_discord2' });
    await runUntil(() => discord.messagesIn(channel).length === 2, 'the failure notice');
    const [status, failure] = discord.messagesIn(channel);
    assert.equal(status?.embeds[0]?.color, RED);
    assert.equal(failure?.attachments.length, 0);
    assert.match(failure?.content ?? '', new RegExp(`^<@${ANN}> .*Content policy violation`));
    assert.deepEqual(failure?.allowedMentions, { users: [ANN] });
  });

  it('keeps updating and delivers after the interaction token has expired', async () => {
    const channel = newChannel();
    api.addTask({ id: 'sora_discord9', queuedMs: 60_000, processingMs: 120_000 });
    const interaction = slash('sora-status', channel, { id: 'sora_discord9' });
    await waitFor(() => discord.replies.get(interaction)?.content !== undefined, 'the answer');
    discord.expireInteractionTokens();
    const webhookCalls = () => discord.calls.filter((call) => call.path.startsWith('/webhooks/'));
    const before = webhookCalls().length;
    await runUntil(() => discord.messagesIn(channel).length === 2, 'the delivery');
    assert.equal(webhookCalls().length, before, 'nothing after the answer uses the token');
    assert.deepEqual([...new Set(shownStatuses(channel))], ['queued', 'processing', 'completed']);
    assert.equal(discord.messagesIn(channel)[1]?.attachments.length, 1);
  });

  it('answers bad input privately with help and posts nothing', async () => {
    const channel = newChannel();
    const interaction = slash('sora-status', channel, { id: 'not a task id!' });
    await waitFor(() => discord.replies.get(interaction)?.content !== undefined, 'the answer');
    const reply = discord.replies.get(interaction);
    assert.equal(reply?.ephemeral, true);
    assert.match(reply?.content ?? '', /sora-status|task id/i);
    assert.deepEqual(channelCalls(channel), []);
  });

  it('lists and unwatches through the shared commands', async () => {
    const channel = newChannel();
    api.addTask({ id: 'sora_discord3', queuedMs: 600_000 });
    const watching = slash('sora-status', channel, { id: 'sora_discord3' });
    await waitFor(() => discord.replies.get(watching)?.content !== undefined, 'the answer');
    const listed = slash('sora-list', channel);
    await waitFor(() => discord.replies.get(listed)?.content !== undefined, 'the list');
    assert.match(discord.replies.get(listed)?.content ?? '', /sora_discord3: Sora 2 Plus, queued/);
    const stopped = slash('sora-unwatch', channel, { id: 'sora_discord3' });
    await waitFor(() => discord.replies.get(stopped)?.content !== undefined, 'the unwatch');
    assert.match(discord.replies.get(stopped)?.content ?? '', /Stopped watching sora_discord3/);
  });

  it('posts the link with its expiry when the clip is over the channel’s upload limit', async () => {
    const channel = newChannel();
    api.addTask({ id: 'sora_discord4', processingMs: 10_000 });
    const interaction = discord.sendSlashCommand({
      name: 'sora-status',
      options: { id: 'sora_discord4' },
      channelId: channel,
      userId: BOB,
      attachmentSizeLimit: 1000,
    });
    await waitFor(() => discord.replies.get(interaction)?.content !== undefined, 'the answer');
    await runUntil(() => discord.messagesIn(channel).length === 2, 'the delivery');
    const delivery = discord.messagesIn(channel)[1];
    assert.equal(delivery?.attachments.length, 0);
    assert.ok(delivery?.content.includes(`${cdn.baseUrl}/videos/sora_discord4.mp4`));
    assert.match(delivery?.content ?? '', /upload limit/);
    assert.match(delivery?.content ?? '', /but the clip could not be delivered here: The clip/);
    assert.match(delivery?.content ?? '', /valid until at least <t:\d+:f>, <t:\d+:R>/);
    assert.ok(
      channelCalls(channel).every((call) => call.files.length === 0),
      'no upload tried',
    );
  });

  it('takes the upload limit from the server’s boost tier when no interaction gave one', async () => {
    // A second bot whose limit below tier 2 is lowered, so the 4 KiB clip is "too large" there.
    const lowered = new DiscordAdapter({
      token: 'fake-bot-token',
      applicationId: '100000000000000001',
      apiUrl: discord.apiUrl,
      logger: silentLogger,
      uploadLimitBytes: 1000,
    });
    assert.equal(lowered.connected(), false, 'no session before start');
    await lowered.start(createCommandHandler(tracker, silentLogger));
    assert.equal(lowered.connected(), true, 'a session once ready');
    let links: (string | undefined)[];
    try {
      links = [
        await lowered.deliverVideo(subscription(UNBOOSTED_CHANNEL), finishedVideo('sora_tier0')),
        await lowered.deliverVideo(subscription(TIER2_CHANNEL), finishedVideo('sora_tier2')),
        // A channel the gateway has not described: no link, rather than a wrong one.
        await lowered.deliverVideo(subscription(newChannel()), finishedVideo('sora_uncached')),
      ];
    } finally {
      await lowered.stop();
    }
    assert.equal(lowered.connected(), false, 'no session after stop');
    const [link] = discord.messagesIn(UNBOOSTED_CHANNEL);
    assert.equal(link?.attachments.length, 0);
    assert.match(link?.content ?? '', /upload limit.*\n.*sora_tier0\.mp4/s);
    assert.ok(
      channelCalls(UNBOOSTED_CHANNEL).every((call) => call.files.length === 0),
      'no upload tried in the unboosted server',
    );
    const [clip] = discord.messagesIn(TIER2_CHANNEL);
    assert.equal(clip?.attachments.length, 1, 'uploaded: tier 2 allows 50 MiB');
    assert.deepEqual(clip?.attachments[0]?.bytes, FIXTURE);
    // Each delivery resolves to its message's jump link, in its server.
    assert.deepEqual(links, [
      `https://discord.com/channels/600000000000000001/${UNBOOSTED_CHANNEL}/${link?.id}`,
      `https://discord.com/channels/600000000000000002/${TIER2_CHANNEL}/${clip?.id}`,
      undefined,
    ]);
  });

  it('falls back to the link when Discord answers 413 / 40005', async () => {
    const channel = newChannel();
    discord.setUploadLimit(channel, 1000);
    await adapter.deliverVideo(subscription(channel), finishedVideo('sora_discord5'));
    const posts = channelCalls(channel);
    assert.deepEqual(
      posts.map((call) => call.status),
      [413, 200],
    );
    const [delivery] = discord.messagesIn(channel);
    assert.equal(delivery?.attachments.length, 0);
    assert.match(delivery?.content ?? '', /upload limit.*\n.*sora_discord5\.mp4/s);
    assert.match(delivery?.content ?? '', /lighthouse/);
  });

  it('does not post a delivery twice when it is sent again with the same nonce', async () => {
    const channel = newChannel();
    const sub = subscription(channel, [ANN, BOB]);
    await adapter.deliverVideo(sub, finishedVideo('sora_discord6'));
    await adapter.deliverVideo(sub, finishedVideo('sora_discord6'));
    assert.equal(channelCalls(channel).length, 2, 'sent twice');
    assert.equal(discord.messagesIn(channel).length, 1, 'posted once');
    assert.deepEqual(discord.messagesIn(channel)[0]?.allowedMentions, { users: [ANN, BOB] });
  });

  it('waits out a 429 and posts once', async () => {
    const channel = newChannel();
    discord.inject('POST', `/channels/${channel}/messages`, {
      kind: 'rate-limit',
      retryAfterSeconds: 0.05,
    });
    await adapter.deliverFailure(subscription(channel), {
      taskId: 'sora_discord7',
      reason: 'The watch gave up.',
    });
    assert.deepEqual(
      channelCalls(channel).map((call) => call.status),
      [429, 200],
    );
    assert.equal(discord.messagesIn(channel).length, 1);
  });

  it('reports an unknown or inaccessible channel as PlaceGone', async () => {
    const channel = newChannel();
    const view: StatusView = {
      taskId: 'sora_discord8',
      status: 'queued',
      tone: 'waiting',
      startedAt: 1_767_225_600_000,
      elapsedMs: 0,
      progressBar: '',
      requesters: [ANN],
    };
    discord.inject('POST', `/channels/${channel}/messages`, {
      kind: 'error',
      status: 404,
      code: 10003,
      message: 'Unknown Channel',
    });
    await assert.rejects(adapter.showStatus(subscription(channel), view), PlaceGone);
    const old = { ...subscription(channel), statusMessage: '999999999999999999' };
    discord.inject('PATCH', `/channels/${channel}/messages/999999999999999999`, {
      kind: 'error',
      status: 403,
      code: 50001,
      message: 'Missing Access',
    });
    await assert.rejects(adapter.showStatus(old, view), PlaceGone);
    assert.deepEqual(discord.messagesIn(channel), [], 'nothing posted');
  });

  it('posts a fresh status message when the old one is over an hour old (30046) and keeps it', async () => {
    const taskId = 'sora_fresh30046';
    const { channel, target, old } = await watchInNewChannel(taskId);
    const oldEdits = old.edits;
    discord.ageMessage(old.id, 2 * 60 * 60_000);

    const fresh = () => discord.messagesIn(channel).find((m) => m.id !== old.id);
    await runUntil(() => fresh() !== undefined, 'a fresh status message');
    const freshId = fresh()?.id ?? '';
    assert.equal(fresh()?.embeds[0]?.title, `Video task ${taskId}`);
    await waitFor(
      () => tracker.list(target)[0]?.subscriptions[0]?.statusMessage === freshId,
      'the tracker to keep the new message id',
    );
    assert.notEqual(tracker.list(target)[0]?.subscriptions[0]?.delivery, 'abandoned');
    const refused = channelCalls(channel).filter((call) => call.status >= 400);
    assert.equal(refused.length, 1, 'one refused edit');
    assert.equal(refused[0]?.path, `/channels/${channel}/messages/${old.id}`);

    const again = discord.sendSlashCommand({
      name: 'sora-status',
      options: { id: taskId },
      channelId: channel,
      userId: BOB,
    });
    await waitFor(() => discord.replies.get(again)?.content !== undefined, 'the second answer');
    assert.ok(discord.replies.get(again)?.content?.includes(freshId), 'links the new message');

    await runUntil(
      () => discord.messagesIn(channel).some((m) => m.nonce && m.embeds.length === 0),
      'the delivery',
    );
    assert.equal(old.edits, oldEdits, 'the old message is left alone');
    const statusMessages = discord.messagesIn(channel).filter((m) => m.embeds.length > 0);
    assert.equal(statusMessages.length, 2, 'only one fresh message');
    assert.equal(fresh()?.embeds[0]?.color, GREEN, 'the fresh message reaches completed');
    assert.deepEqual([...new Set(shownStatuses(channel))], ['queued', 'processing', 'completed']);
  });

  it('posts a fresh status message once when the first is deleted (10008); deleted again, only the clip follows', async () => {
    const taskId = 'sora_deleted10008';
    const { channel, target, old } = await watchInNewChannel(taskId);
    const cards = () => discord.messagesIn(channel).filter((m) => m.embeds.length > 0);
    discord.deleteMessage(old.id);

    await runUntil(() => cards().length === 1, 'a fresh status message');
    const [fresh] = cards();
    assert.ok(fresh);
    assert.notEqual(fresh.id, old.id);
    assert.equal(channelCalls(channel).filter((call) => call.status === 404).length, 1);
    assert.ok(
      tracker.list(target).every((w) => w.subscriptions.every((s) => s.delivery !== 'abandoned')),
      'the place still watches',
    );

    discord.deleteMessage(fresh.id);
    await runUntil(
      () => discord.messagesIn(channel).some((m) => m.embeds.length === 0),
      'the clip, after the task finishes',
    );
    assert.equal(api.statusOf(taskId), 'completed');
    assert.deepEqual(cards(), [], 'the twice-deleted card is not brought back');
    const refused = channelCalls(channel).filter((call) => call.status === 404);
    assert.equal(refused.length, 2, 'one refused edit per deleted card, not retried');
    const clips = discord.messagesIn(channel).filter((m) => m.embeds.length === 0);
    assert.equal(clips.length, 1, 'the clip once');
    assert.equal(clips[0]?.attachments.length, 1);
  });

  it('explains missing permissions privately and does not start the watch', async () => {
    const channel = newChannel();
    const target = encodeTarget(channel);
    api.addTask({ id: 'sora_noperms', queuedMs: 60_000 });
    const withoutEmbedsAndFiles = 2248473465835073n & ~((1n << 14n) | (1n << 15n));
    const interaction = discord.sendSlashCommand({
      name: 'sora-status',
      options: { id: 'sora_noperms' },
      channelId: channel,
      userId: ANN,
      appPermissions: String(withoutEmbedsAndFiles),
    });
    await waitFor(() => discord.replies.get(interaction)?.content !== undefined, 'the answer');
    const reply = discord.replies.get(interaction);
    assert.equal(reply?.ephemeral, true);
    assert.equal(reply?.deferred, false, 'answered at once');
    assert.match(reply?.content ?? '', /Embed Links, Attach Files permissions/);
    assert.doesNotMatch(reply?.content ?? '', /View Channel|Send Messages/);
    assert.deepEqual(tracker.list(target), [], 'no watch started');
    await settle();
    assert.deepEqual(channelCalls(channel), [], 'nothing posted');

    const onlyView = discord.sendSlashCommand({
      name: 'sora-status',
      options: { id: 'sora_noperms' },
      channelId: channel,
      userId: ANN,
      appPermissions: String(1n << 10n),
    });
    await waitFor(() => discord.replies.get(onlyView)?.content !== undefined, 'the answer');
    assert.match(
      discord.replies.get(onlyView)?.content ?? '',
      /Send Messages, Embed Links, Attach Files permissions/,
    );
    assert.deepEqual(tracker.list(target), []);
  });

  it('offers the task ids this channel watches as autocomplete, at once', async () => {
    const channel = newChannel();
    const elsewhere = newChannel();
    for (const [id, place] of [
      ['sora_auto1', channel],
      ['sora_auto2', channel],
      ['sora_other', elsewhere],
    ] as const) {
      api.addTask({ id, queuedMs: 600_000 });
      const answered = slash('sora-status', place, { id });
      await waitFor(() => discord.replies.get(answered)?.content !== undefined, 'the answer');
    }
    const suggest = async (name: string, value: string) => {
      const id = discord.sendAutocomplete({
        name,
        option: 'id',
        value,
        channelId: channel,
        userId: BOB,
      });
      await waitFor(() => discord.autocompletes.has(id), 'the suggestions');
      const answer = discord.autocompletes.get(id);
      assert.ok(answer && answer.afterMs < 3000, 'answered within 3 s');
      assert.equal(discord.replies.has(id), false, 'not deferred');
      return answer.choices;
    };
    const ids = (choices: { name: string; value: string }[]) => choices.map((c) => c.value).sort();
    assert.deepEqual(ids(await suggest('sora-status', '')), ['sora_auto1', 'sora_auto2']);
    assert.deepEqual(await suggest('sora-unwatch', 'AUTO2'), [
      { name: 'sora_auto2', value: 'sora_auto2' },
    ]);
    assert.deepEqual(await suggest('sora-status', 'nothing like it'), []);
    const callbacks = discord.calls.filter(
      (call) => call.path.startsWith('/interactions/') && call.body?.type === 8,
    );
    assert.equal(callbacks.length, 3, 'each answered with callback type 8');
  });

  it('registers the slash commands in bulk, per guild or globally', async () => {
    await adapter.registerCommands('200000000000000009');
    await adapter.registerCommands();
    const puts = discord.calls.filter((call) => call.method === 'PUT');
    assert.deepEqual(
      puts.map((call) => call.path),
      [
        '/applications/100000000000000001/guilds/200000000000000009/commands',
        '/applications/100000000000000001/commands',
      ],
    );
    const body: unknown = puts[0]?.body;
    assert.ok(Array.isArray(body));
    const names = body.map((command: { name: string }) => command.name);
    assert.deepEqual(names, [
      'sora-status',
      'sora-list',
      'sora-unwatch',
      'sora-show',
      'sora-usage',
      'sora-clips',
      'sora-create',
    ]);
    const idOptions = body
      .flatMap(
        (command: { options?: { name: string; autocomplete?: boolean }[] }) =>
          command.options ?? [],
      )
      .filter((option: { name: string }) => option.name === 'id');
    assert.deepEqual(
      idOptions.map((option: { name: string; autocomplete?: boolean }) => option.autocomplete),
      [true, true, true],
    );
  });
});

describe('uploadLimitForTier', () => {
  it('keeps the base limit below boost tier 2 and raises it to 50 and 100 MiB above', () => {
    const mib = 1024 * 1024;
    assert.equal(uploadLimitForTier(undefined), 10 * mib);
    assert.equal(uploadLimitForTier(0), 10 * mib);
    assert.equal(uploadLimitForTier(1), 10 * mib);
    assert.equal(uploadLimitForTier(2), 50 * mib);
    assert.equal(uploadLimitForTier(3), 100 * mib);
    assert.equal(uploadLimitForTier(1, 1000), 1000);
    assert.equal(uploadLimitForTier(undefined, 1000), 1000);
  });
});

describe('/sora-clips on Discord', () => {
  it('reads the scope, search and page options as the words every platform parses', () => {
    const invocation = {
      commandName: 'sora-clips',
      id: null,
      channelId: UNBOOSTED_CHANNEL,
      userId: ANN,
    };
    const command = commandFromSlash({
      ...invocation,
      clips: { scope: 'mine', search: ' veo kite ', page: 2 },
    });
    assert.equal(command.kind, 'clips');
    assert.deepEqual(command.filter, {
      scope: 'mine',
      model: { kind: 'family', family: 'veo', word: 'veo' },
      words: ['kite'],
      page: 2,
    });
    const here = commandFromSlash({
      ...invocation,
      clips: { scope: 'channel', search: null, page: null },
    });
    assert.equal(here.kind, 'clips');
    assert.deepEqual(here.filter, { scope: 'channel', words: [], page: 1 });
  });

  it('answers privately through the shared handler', async () => {
    const interaction = slash('sora-clips', newChannel(), { scope: 'all', search: 'kite' });
    await waitFor(() => discord.replies.get(interaction)?.content !== undefined, 'the answer');
    // This rig's bot keeps no library; with one, the listing is tested in test/chat/clips.test.ts.
    assert.equal(discord.replies.get(interaction)?.content, 'This bot keeps no clip library.');
  });
});

describe('autocompleteChoices', () => {
  it('puts ids starting with the typed text first, skips over-long ids and keeps 25', () => {
    assert.deepEqual(autocompleteChoices(['x_sora_1', 'sora_2', 'sora_2', 'other'], 'SORA'), [
      'sora_2',
      'x_sora_1',
    ]);
    assert.deepEqual(autocompleteChoices([`sora_${'a'.repeat(100)}`], ''), []);
    const many = Array.from({ length: 40 }, (_, i) => `sora_${i}`);
    assert.equal(autocompleteChoices(many, ' ').length, 25);
  });
});

describe('Discord rendering of a task of any family', () => {
  it('names the model on the embed and with the clip, never calling it a Sora task', () => {
    const embed = statusEmbed({
      taskId: 'vgen_abc123',
      status: 'processing',
      tone: 'running',
      model: 'veo_3_1_fast',
      modelName: 'VEO 3.1 Fast',
      startedAt: 1_767_225_600_000,
      elapsedMs: 1_000,
      progressBar: '',
      requesters: [],
    });
    assert.equal(embed.title, 'Video task vgen_abc123');
    assert.equal(embed.fields?.find((f) => f.name === 'Model')?.value, 'VEO 3.1 Fast');
    const video = {
      task: {
        id: 'video_9f2e',
        object: 'video',
        created: 0,
        model: 'seedance_2_0_fast',
        status: 'completed',
        actualDuration: 5.04,
      },
      file: { path: '/tmp/video_9f2e.mp4', bytes: 4096 },
    };
    assert.equal(
      resultText(buildResultView({ requesters: [] }, video)),
      'Video task video_9f2e is ready (Seedance 2.0 Fast, 5.04 s clip).',
    );
  });
});

describe('Discord rendering of who asked', () => {
  it('mentions chat users and shows a name from outside Discord as plain text', () => {
    const embed = statusEmbed({
      taskId: 'sora_x',
      status: 'queued',
      tone: 'waiting',
      startedAt: 1_767_225_600_000,
      elapsedMs: 1_000,
      progressBar: '',
      requesters: [ANN],
      requestedBy: ['ci-pipeline'],
    });
    assert.equal(embed.fields?.find((f) => f.name === 'Asked by')?.value, `<@${ANN}> ci-pipeline`);
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
    assert.equal(
      resultText(buildResultView(askers, video)),
      'Video task sora_x is ready (Sora 2 Plus). Requested by ci-pipeline.',
    );
    assert.equal(
      resultText(buildResultView(askers, { taskId: 'sora_x', reason: 'Prompt rejected' })),
      'Video task sora_x ended without a video: Prompt rejected\nRequested by ci-pipeline.',
    );
    assert.match(
      resultText(buildResultView({ requesters: [ANN] }, video)),
      new RegExp(`^<@${ANN}> Video task`),
    );
  });
});
