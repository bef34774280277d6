/**
 * The buttons of Discord status cards and result messages, against the fake Discord and the
 * fake Sora API, with the bot wired as main.ts wires it on a SQLite store: which buttons a
 * card carries while its video runs and once it ended (and the clip's message the same), who
 * may press which, what each answers (privately), a rerun made once however often it is
 * clicked, the create form pre-filled by Edit & rerun, a share to another channel that does
 * not ping, buttons that still work after a restart, and CREATE_ALLOWED naming a role.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  type FakeDiscord,
  type FakeMessage,
  type FakeModal,
  filledIn,
  type SlashOptionValue,
} from '../fakes/discord.ts';
import type { FakeSoraApi } from '../fakes/sora-api.ts';
import { type DiscordRig, startDiscordRig } from '../support/discord-rig.ts';
import { waitFor } from '../support/wait-for.ts';

const ANN = '300000000000000001';
const BOB = '300000000000000002';
const CAROL = '300000000000000003';
const DAVE = '300000000000000004';
const GUILD = '600000000000000021';
/** A server the bot's gateway does not know (members come as Discord sends them), and its channel. */
const UNKNOWN_GUILD = '600000000000000099';
const UNKNOWN_GUILD_CHANNEL = '520000000000000001';
const ROLE = '700000000000000001';
const CHANNELS = Array.from({ length: 16 }, (_, i) => String(510000000000000001n + BigInt(i)));
const PRIMARY = 1;
const SECONDARY = 2;
const DANGER = 4;
const CHANNEL_SELECT = 8;
const GUILD_TEXT = 0;
const GUILD_ANNOUNCEMENT = 5;
const PROMPT = 'A lighthouse in a storm, waves breaking over the rocks at dusk';

let rig: DiscordRig;
let discord: FakeDiscord;
let api: FakeSoraApi;
let channels = 0;

before(async () => {
  rig = await startDiscordRig({
    guilds: [{ id: GUILD, premiumTier: 0, channelIds: CHANNELS, roleIds: [ROLE] }],
    store: 'sqlite',
    create: { allowed: [`discord:${ANN}`, `discord:${ROLE}`] },
  });
  ({ discord, api } = rig);
});

after(() => rig.close());

/** A fresh channel of the server per test, so tests never see each other's messages. */
function newChannel(): string {
  const channel = CHANNELS[channels++];
  assert.ok(channel, 'a channel left');
  return channel;
}

interface Button {
  label?: string;
  custom_id?: string;
  style?: number;
  type?: number;
}

/** The buttons a message or answer carries, in order. */
function buttonsOf(components: Record<string, unknown>[] | undefined): Button[] {
  return ((components ?? []) as { components?: Button[] }[]).flatMap((row) => row.components ?? []);
}

const labelsOf = (message: FakeMessage | undefined) =>
  buttonsOf(message?.components).map((button) => button.label);

/** `/sora-create` with a prompt (no form); resolves once answered, with the task and card. */
async function createVideo(
  channelId: string,
  options: Record<string, SlashOptionValue> = {},
  userId = ANN,
) {
  const before = api.creates.length;
  const sent = discord.sendSlashCommand({
    name: 'sora-create',
    options: { prompt: PROMPT, model: 'veo_3_1_fast@720p', orientation: '16:9', ...options },
    channelId,
    userId,
  });
  await answerTo(sent, /Started/);
  assert.equal(api.creates.length, before + 1);
  const taskId = api.creates.at(-1)?.taskId ?? '';
  const card = discord.messagesIn(channelId)[0];
  assert.ok(card, 'the card');
  return { taskId, card: () => message(card.id) };
}

/** The message as it is now. */
function message(id: string): FakeMessage {
  const found = discord.messages.find((m) => m.id === id);
  assert.ok(found, `message ${id}`);
  return found;
}

/** Runs the clock until the channel has its clip (or failure) message after the card. */
async function finish(channelId: string): Promise<FakeMessage> {
  await rig.clock.stepUntil(() => discord.messagesIn(channelId).length >= 2, 'the result');
  const [, result] = discord.messagesIn(channelId);
  assert.ok(result);
  return result;
}

function press(messageId: string, action: string, taskId: string, userId = ANN): string {
  return discord.clickButton({ messageId, customId: `sora:${action}:${taskId}`, userId });
}

async function answerTo(interactionId: string, matching: RegExp = /./) {
  await waitFor(
    () => matching.test(discord.replies.get(interactionId)?.content ?? ''),
    `the answer matching ${matching}`,
  );
  const reply = discord.replies.get(interactionId);
  assert.ok(reply);
  return reply;
}

async function formShownFor(interactionId: string): Promise<FakeModal> {
  await waitFor(() => discord.modals.has(interactionId), 'the form');
  return discord.modals.get(interactionId) as FakeModal;
}

function fieldOf(embed: Record<string, unknown> | undefined, name: string): string | undefined {
  const fields = (embed?.fields ?? []) as { name: string; value: string }[];
  return fields.find((field) => field.name === name)?.value;
}

describe('buttons on Discord cards and results', () => {
  it('puts Stop watching on a running card, and the ended buttons on the card and the clip', async () => {
    const channel = newChannel();
    const long = `${PROMPT}, ${'and gulls circling overhead '.repeat(15)}`;
    const { taskId, card } = await createVideo(channel, { prompt: long });

    const running = card();
    const [stop] = buttonsOf(running.components);
    assert.deepEqual(stop, {
      type: 2,
      custom_id: `sora:stop:${taskId}`,
      label: 'Stop watching',
      style: DANGER,
    });
    assert.equal(buttonsOf(running.components).length, 1);
    const embed = running.embeds[0];
    assert.equal(embed?.description, `${long.slice(0, 300)}…`, 'the prompt, cut');
    assert.equal(fieldOf(embed, 'Parameters'), 'VEO 3.1 Fast · 16:9 · 8 s · 720p');

    const clip = await finish(channel);
    const ended = ['Rerun', 'Edit & rerun', 'Share to…', 'Details'];
    assert.deepEqual(labelsOf(card()), ended, 'Stop is gone once it ended');
    assert.deepEqual(
      buttonsOf(card().components).map((b) => [b.custom_id, b.style]),
      [
        [`sora:rerun:${taskId}`, PRIMARY],
        [`sora:edit:${taskId}`, SECONDARY],
        [`sora:share:${taskId}`, SECONDARY],
        [`sora:details:${taskId}`, SECONDARY],
      ],
    );
    assert.equal(clip.attachments[0]?.name, `${taskId}.mp4`);
    assert.deepEqual(labelsOf(clip), ended, 'the clip carries the same buttons');
    // Every edit of the card sent its buttons: none kept a stale Stop.
    const edits = discord.calls.filter(
      (call) =>
        call.method === 'PATCH' && call.path === `/channels/${channel}/messages/${card().id}`,
    );
    assert.ok(edits.length > 0);
    assert.ok(edits.every((call) => Array.isArray(call.body?.components)));
  });

  it('puts Rerun, Edit & rerun and Details on a failed task and its failure message', async () => {
    const channel = newChannel();
    const { taskId, card } = await createVideo(channel);
    api.addTask({ id: taskId, model: 'veo_3_1_fast', outcome: 'failed', error: 'Rejected' });
    const failure = await finish(channel);
    assert.match(failure.content, /ended without a video \(VEO 3\.1 Fast\): Rejected$/);
    assert.deepEqual(labelsOf(card()), ['Rerun', 'Edit & rerun', 'Details']);
    assert.deepEqual(labelsOf(failure), ['Rerun', 'Edit & rerun', 'Details']);
  });

  it('lets only the asker stop watching; a stranger is refused privately', async () => {
    const channel = newChannel();
    const { taskId, card } = await createVideo(channel);

    const stranger = await answerTo(press(card().id, 'stop', taskId, BOB));
    assert.equal(stranger.ephemeral, true);
    assert.equal(
      stranger.content,
      `Sorry, only the person who asked for ${taskId}, or an admin of the bot, can stop watching it.`,
    );
    assert.deepEqual(labelsOf(card()), ['Stop watching'], 'still watched');

    const asker = await answerTo(press(card().id, 'stop', taskId));
    assert.equal(asker.ephemeral, true);
    assert.equal(asker.content, `Stopped watching ${taskId} here.`);
    await waitFor(() => labelsOf(card()).join() === 'Details', 'the card edited');
    assert.match(fieldOf(card().embeds[0], 'Why') ?? '', /^No longer watched here/);
  });

  it('answers Details privately, from the card or the clip, with the prompt and parameters', async () => {
    const channel = newChannel();
    const { taskId, card } = await createVideo(channel);
    const clip = await finish(channel);
    for (const messageId of [card().id, clip.id]) {
      const details = await answerTo(press(messageId, 'details', taskId, BOB), /Prompt/);
      assert.equal(details.ephemeral, true);
      assert.equal(details.deferred, true);
      const lines = (details.content ?? '').split('\n');
      assert.equal(lines[0], `Task ${taskId}`);
      assert.ok(lines.includes('Parameters: VEO 3.1 Fast · 16:9 · 8 s · 720p'));
      assert.ok(lines.includes(`Prompt: ${PROMPT}`));
      assert.ok(lines.includes('Status: completed'));
    }
  });

  it('reruns once however often Rerun is clicked, and posts the new card', async () => {
    const channel = newChannel();
    const { taskId, card } = await createVideo(channel);
    await finish(channel);
    const before = api.creates.length;

    const clicks = [press(card().id, 'rerun', taskId), press(card().id, 'rerun', taskId)];
    const answers = await Promise.all(clicks.map((click) => answerTo(click, /vgen_|sora_|video_/)));
    assert.equal(api.creates.length, before + 1, 'one video');
    const rerun = api.creates.at(-1);
    assert.equal((rerun?.body as { prompt?: string } | undefined)?.prompt, PROMPT);
    const newTask = rerun?.taskId ?? '';
    const cards = discord
      .messagesIn(channel)
      .filter((m) => m.embeds[0]?.title === `Video task ${newTask}`);
    assert.equal(cards.length, 1, 'one new card');
    const link = `https://discord.com/channels/${GUILD}/${channel}/${cards[0]?.id}`;
    for (const answer of answers) {
      assert.equal(answer.ephemeral, true);
      assert.ok(answer.content?.includes(newTask));
      assert.ok(answer.content?.endsWith(`\n${link}`), 'links to the new card');
    }
    assert.ok(
      answers.some((a) =>
        a.content?.startsWith(`Started ${newTask} (VEO 3.1 Fast), a rerun of ${taskId}`),
      ),
    );
    assert.deepEqual(labelsOf(cards[0]), ['Stop watching']);
    // Someone else's video is not theirs to remake.
    const stranger = await answerTo(press(card().id, 'rerun', taskId, BOB));
    assert.match(stranger.content ?? '', /^Sorry, only the person who asked/);
    assert.equal(api.creates.length, before + 1);
  });

  it('opens the create form pre-filled for Edit & rerun; sending it makes the new video', async () => {
    const channel = newChannel();
    const { taskId, card } = await createVideo(channel);
    await finish(channel);

    const edit = press(card().id, 'edit', taskId);
    const form = await formShownFor(edit);
    assert.equal(discord.replies.get(edit), undefined, 'the form is the whole answer');
    const prompt = form.components.find((label) => label.component.custom_id === 'prompt');
    assert.equal(prompt?.component.value, PROMPT);
    const model = form.components.find((label) => label.component.custom_id === 'model');
    assert.deepEqual(
      model?.component.options?.filter((o) => o.default).map((o) => o.value),
      ['veo_3_1_fast@720p'],
    );

    const before = api.creates.length;
    const sent = discord.sendModalSubmit({
      customId: form.customId,
      fields: filledIn(form, { prompt: { kind: 'text', value: 'The same lighthouse at dawn' } }),
      channelId: channel,
      userId: ANN,
    });
    await answerTo(sent, /Started/);
    assert.equal(api.creates.length, before + 1);
    const body = api.creates.at(-1)?.body as Record<string, unknown>;
    assert.equal(body.prompt, 'The same lighthouse at dawn');
    assert.equal(body.aspect_ratio, '16:9');

    const strangerEdit = press(card().id, 'edit', taskId, BOB);
    const stranger = await answerTo(strangerEdit);
    assert.equal(stranger.ephemeral, true);
    assert.match(stranger.content ?? '', /^Sorry, only the person who asked/);
    assert.equal(discord.modals.has(strangerEdit), false, 'no form for them');
  });

  it('shares the clip to a picked channel, saying who shared it, without a ping', async () => {
    const channel = newChannel();
    const elsewhere = newChannel();
    const { taskId, card } = await createVideo(channel);
    const clip = await finish(channel);

    const share = press(clip.id, 'share', taskId, BOB);
    const offer = await answerTo(share, /Pick a channel/);
    assert.equal(offer.ephemeral, true);
    const [picker] = buttonsOf(offer.components);
    assert.deepEqual(picker, {
      type: CHANNEL_SELECT,
      custom_id: `sora-share:${taskId}`,
      placeholder: 'Pick a channel',
      channel_types: [GUILD_TEXT, GUILD_ANNOUNCEMENT],
      min_values: 1,
      max_values: 1,
    });

    const pick = discord.pickChannel({
      answerOf: share,
      customId: `sora-share:${taskId}`,
      userId: BOB,
      channelId: elsewhere,
    });
    const done = await answerTo(share, /Sharing/);
    assert.deepEqual(done.components, [], 'the picker is gone: one share per pick');
    assert.equal(discord.replies.get(pick), undefined, 'the pick updates the offer');

    await rig.clock.stepUntil(
      () => discord.messagesIn(elsewhere).some((m) => m.attachments.length > 0),
      'the shared clip',
    );
    const shared = discord.messagesIn(elsewhere).find((m) => m.attachments.length > 0);
    assert.equal(shared?.attachments[0]?.name, `${taskId}.mp4`);
    const original = `https://discord.com/channels/${GUILD}/${channel}/${clip.id}`;
    assert.match(shared?.content ?? '', new RegExp(`^Video task ${taskId} is ready`));
    assert.ok(shared?.content.includes(`Shared by <@${BOB}> from ${original}`));
    assert.deepEqual(shared?.allowedMentions, { users: [] }, 'nobody is pinged');
    assert.equal(discord.messagesIn(channel).length, 2, 'nothing new where it came from');
    assert.deepEqual(labelsOf(card()), ['Rerun', 'Edit & rerun', 'Share to…', 'Details']);
  });

  it('keeps every button working after a restart on the same store', async () => {
    const channel = newChannel();
    const { taskId, card } = await createVideo(channel);
    await finish(channel);
    await rig.restart();

    const details = await answerTo(press(card().id, 'details', taskId, BOB), /Prompt/);
    assert.ok(details.content?.includes(`Prompt: ${PROMPT}`));
    const before = api.creates.length;
    const rerun = await answerTo(press(card().id, 'rerun', taskId), /a rerun of/);
    assert.equal(api.creates.length, before + 1);
    assert.ok(rerun.content?.includes(api.creates.at(-1)?.taskId ?? 'no task'));
    assert.equal(discord.messagesIn(channel).length, 3, 'the new card');
  });

  it('lets a member with a role in CREATE_ALLOWED create, and refuses one without', async () => {
    const create = (userId: string, roles: string[], guildId?: string) =>
      discord.sendSlashCommand({
        name: 'sora-create',
        options: { prompt: 'A kite over the dunes' },
        channelId: guildId === undefined ? newChannel() : UNKNOWN_GUILD_CHANNEL,
        userId,
        roles,
        ...(guildId === undefined ? {} : { guildId }),
      });
    const before = api.creates.length;
    await answerTo(create(CAROL, [ROLE]), /^Started/);
    // A server the gateway has not cached: its member's roles arrive as a plain list.
    await answerTo(create(CAROL, [ROLE], UNKNOWN_GUILD), /^Started/);
    assert.equal(api.creates.length, before + 2);

    const refused = await answerTo(create(DAVE, ['700000000000000002']), /CREATE_ALLOWED/);
    assert.equal(refused.ephemeral, true);
    assert.match(refused.content ?? '', /you are not among them yet/);
    assert.equal(api.creates.length, before + 2, 'nothing sent');

    // The form's submission carries the roles too.
    const form = await formShownFor(
      discord.sendSlashCommand({
        name: 'sora-create',
        channelId: CHANNELS[0] ?? '',
        userId: CAROL,
        roles: [ROLE],
      }),
    );
    const sent = discord.sendModalSubmit({
      customId: form.customId,
      fields: filledIn(form, { prompt: { kind: 'text', value: 'A kite at night' } }),
      channelId: CHANNELS[0] ?? '',
      userId: CAROL,
      roles: [ROLE],
    });
    await answerTo(sent, /^Started/);
    assert.equal(api.creates.length, before + 3);
  });
});
