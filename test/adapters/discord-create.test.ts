/**
 * `/sora-create` on Discord, against the fake Discord and the fake Sora API: the form opens
 * with its five fields, a submission makes exactly one video (delivered twice, still one),
 * whose card and clip follow in the channel; a form with a problem sends nothing and offers
 * "Edit and resend", which opens the form again as it was; a service refusal is told in plain
 * words with the same button; the quick path with a prompt sends at once; an expired draft
 * says so.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { modelAndResolutionChoices } from '../../src/chat/create-form.ts';
import {
  type FakeDiscord,
  type FakeModal,
  filledIn,
  type ModalFieldValue,
  type SlashOptionValue,
} from '../fakes/discord.ts';
import type { FakeSoraApi } from '../fakes/sora-api.ts';
import { type DiscordRig, startDiscordRig } from '../support/discord-rig.ts';
import { waitFor } from '../support/wait-for.ts';

const ANN = '300000000000000001';
const LABEL = 18;
const STRING_SELECT = 3;
const TEXT_INPUT = 4;
const FILE_UPLOAD = 19;
const PARAGRAPH = 2;
const REFERENCE = { filename: 'harbour.png', contentType: 'image/png' };

let rig: DiscordRig;
let discord: FakeDiscord;
let api: FakeSoraApi;
let channels = 0;

before(async () => {
  rig = await startDiscordRig({ guilds: [], adapterOnTestClock: true });
  ({ discord, api } = rig);
});

after(() => rig.close());

/** A fresh channel id per test, so tests never see each other's messages. */
function newChannel(): string {
  channels += 1;
  return `41000000000000000${channels}`.slice(-18);
}

function createCommand(channelId: string, options: Record<string, SlashOptionValue> = {}) {
  return discord.sendSlashCommand({ name: 'sora-create', options, channelId, userId: ANN });
}

/** The modal the bot answered `interactionId` with. */
async function formShownFor(interactionId: string): Promise<FakeModal> {
  await waitFor(() => discord.modals.has(interactionId), 'the form');
  return discord.modals.get(interactionId) as FakeModal;
}

/** Submits `modal` as a user who changes only `changes`; returns the submission's id. */
function submit(
  modal: FakeModal,
  channelId: string,
  changes: Record<string, ModalFieldValue>,
): string {
  const fields = filledIn(modal, changes);
  return discord.sendModalSubmit({ customId: modal.customId, fields, channelId, userId: ANN });
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

/** The custom id of the answer's "Edit and resend" button, if it has one. */
function editButtonOf(interactionId: string): string | undefined {
  const rows = (discord.replies.get(interactionId)?.components ?? []) as {
    components?: { custom_id?: string; label?: string }[];
  }[];
  const button = rows
    .flatMap((row) => row.components ?? [])
    .find((c) => c.label === 'Edit and resend');
  return button?.custom_id;
}

function fieldOf(modal: FakeModal, customId: string) {
  const label = modal.components.find((l) => l.component.custom_id === customId);
  assert.ok(label, `the form has ${customId}`);
  return label.component;
}

function picked(modal: FakeModal, customId: string): string[] {
  return (fieldOf(modal, customId).options ?? []).filter((o) => o.default).map((o) => o.value);
}

/** The body of the last create the fake Sora API received. */
function lastCreateBody(): Record<string, unknown> {
  return (api.creates.at(-1)?.body ?? {}) as Record<string, unknown>;
}

const text = (value: string): ModalFieldValue => ({ kind: 'text', value });
const choose = (...values: string[]): ModalFieldValue => ({ kind: 'select', values });

describe('/sora-create on Discord', () => {
  it('opens the form: model and resolution, prompt, orientation, clip length, image', async () => {
    const before = api.creates.length;
    const opened = createCommand(newChannel());
    const modal = await formShownFor(opened);

    assert.equal(modal.customId, 'sora-create-form');
    assert.equal(modal.title, 'Make a video');
    assert.ok(modal.components.every((label) => label.type === LABEL));
    assert.deepEqual(
      modal.components.map((label) => [label.label, label.component.type]),
      [
        ['Model and resolution', STRING_SELECT],
        ['Prompt', TEXT_INPUT],
        ['Orientation', STRING_SELECT],
        ['Clip length', STRING_SELECT],
        ['Reference image', FILE_UPLOAD],
      ],
    );
    const model = fieldOf(modal, 'model');
    assert.deepEqual(
      model.options?.map((o) => o.value),
      modelAndResolutionChoices().map((c) => c.value),
    );
    assert.notEqual(model.required, false, 'a model is required');
    assert.deepEqual(picked(modal, 'model'), ['veo_3_1_fast@720p'], 'the default model');
    const prompt = fieldOf(modal, 'prompt');
    assert.equal(prompt.style, PARAGRAPH);
    assert.equal(prompt.required, true);
    assert.equal(prompt.max_length, 4000);
    const orientation = fieldOf(modal, 'orientation');
    assert.deepEqual(
      orientation.options?.map((o) => o.value),
      ['16:9', '9:16'],
    );
    assert.equal(orientation.required, false);
    const seconds = fieldOf(modal, 'seconds');
    assert.deepEqual(
      seconds.options?.map((o) => o.value),
      ['4', '8', '12'],
    );
    assert.equal(seconds.required, false);
    assert.equal(seconds.placeholder, "the model's default");
    assert.deepEqual(picked(modal, 'seconds'), [], 'left to the model');
    const image = fieldOf(modal, 'image');
    assert.deepEqual(image.file_types, ['image']);
    assert.equal(image.required, false);
    assert.equal(image.max_values, 1);

    assert.equal(discord.replies.get(opened), undefined, 'the form is the whole answer');
    assert.equal(api.creates.length, before, 'nothing sent yet');
  });

  it('makes one video per submission, delivered twice or not; its card and clip follow', async () => {
    const channel = newChannel();
    const modal = await formShownFor(createCommand(channel));
    const before = api.creates.length;
    const sent = submit(modal, channel, {
      model: choose('openAiSora2Plus'),
      prompt: text('A lighthouse in the fog, waves below'),
      seconds: choose('4'),
      image: { kind: 'files', files: [REFERENCE] },
    });

    const reply = await answerTo(sent, /Started/);
    assert.equal(reply.deferred, true, 'deferred first');
    assert.equal(reply.ephemeral, true);
    assert.equal(api.creates.length, before + 1);
    const create = api.creates.at(-1);
    assert.equal(create?.idempotencyKey, `discord-interaction:${sent}`);
    const body = create?.body as Record<string, unknown>;
    assert.equal(body.model, 'openAiSora2Plus');
    assert.equal(body.prompt, 'A lighthouse in the fog, waves below');
    assert.match(JSON.stringify(body), /\/ephemeral-attachments\/\d+\/harbour\.png/);
    const taskId = create?.taskId ?? '';
    assert.match(reply.content ?? '', new RegExp(`Started ${taskId} \\(Sora 2 Plus\\)`));
    const [card] = discord.messagesIn(channel);
    assert.ok(card, 'the status card is in the channel');
    assert.equal(card.embeds[0]?.title, `Video task ${taskId}`);
    assert.ok(reply.content?.includes(card.id), 'the answer links to the card');
    assert.equal(editButtonOf(sent), undefined, 'nothing to edit');

    // The same submission again: answered with the task it made, nothing sent.
    discord.redeliverInteraction(sent);
    const again = await answerTo(sent, /already sent/);
    assert.match(again.content ?? '', new RegExp(`already sent: it is ${taskId}`));
    assert.equal(api.creates.length, before + 1, 'one video');
    assert.equal(discord.messagesIn(channel).length, 1, 'one card');

    await rig.clock.stepUntil(() => discord.messagesIn(channel).length === 2, 'the clip');
    const delivery = discord.messagesIn(channel)[1];
    assert.equal(delivery?.attachments[0]?.name, `${taskId}.mp4`);
    assert.match(delivery?.content ?? '', new RegExp(`<@${ANN}> .*${taskId} is ready`));
  });

  it('sends nothing for a form with a problem, and opens it again as sent to fix it', async () => {
    const channel = newChannel();
    const modal = await formShownFor(createCommand(channel));
    const before = api.creates.length;
    const sent = submit(modal, channel, {
      model: choose('veo_3_1_fast@1080p'),
      prompt: text('A fox running through snow'),
      orientation: choose('9:16'),
      seconds: choose('4'),
    });

    const reply = await answerTo(sent);
    assert.equal(reply.deferred, false, 'answered at once');
    assert.equal(reply.ephemeral, true);
    assert.match(reply.content ?? '', /^Clip length: .*8/);
    assert.match(reply.content ?? '', /No video was started/);
    assert.equal(api.creates.length, before, 'nothing sent');
    const button = editButtonOf(sent);
    assert.match(button ?? '', /^sora-create-edit:/);
    assert.ok((button?.length ?? 0) <= 100);

    const click = discord.clickButton({ answerOf: sent, customId: button ?? '', userId: ANN });
    const again = await formShownFor(click);
    assert.match(again.customId, /^sora-create-form:/);
    assert.equal(fieldOf(again, 'prompt').value, 'A fox running through snow');
    assert.deepEqual(picked(again, 'model'), ['veo_3_1_fast@1080p']);
    assert.deepEqual(picked(again, 'orientation'), ['9:16']);
    assert.deepEqual(picked(again, 'seconds'), ['4']);

    // Fixed and sent again: now it goes.
    const fixed = submit(again, channel, { seconds: choose('8') });
    await answerTo(fixed, /Started/);
    assert.equal(api.creates.length, before + 1);
    const body = lastCreateBody();
    assert.equal(body.model, 'veo_3_1_fast');
    assert.equal(body.resolution, '1080p');
    assert.equal(body.aspect_ratio, '9:16');
    assert.equal(body.prompt, 'A fox running through snow');
  });

  it('tells a refusal by the service in plain words, with the form kept', async () => {
    const channel = newChannel();
    const modal = await formShownFor(createCommand(channel));
    api.misbehaveAll({
      kind: 'status',
      status: 400,
      body: JSON.stringify({ error: { message: 'the prompt was flagged by moderation' } }),
    });
    const sent = submit(modal, channel, {
      model: choose('veo_3_1_pro@720p'),
      prompt: text('A storm over the harbour'),
      image: { kind: 'files', files: [REFERENCE] },
    });
    const reply = await answerTo(sent);
    assert.equal(reply.ephemeral, true);
    assert.match(reply.content ?? '', /refused this video on content grounds/);
    assert.match(reply.content ?? '', /flagged by moderation/);
    assert.equal(discord.messagesIn(channel).length, 0, 'no card');
    const button = editButtonOf(sent);
    assert.ok(button, 'Edit and resend');

    const again = await formShownFor(
      discord.clickButton({ answerOf: sent, customId: button, userId: ANN }),
    );
    assert.equal(fieldOf(again, 'prompt').value, 'A storm over the harbour');
    assert.deepEqual(picked(again, 'model'), ['veo_3_1_pro@720p']);
    assert.match(
      modal.components.at(-1)?.description ?? '',
      /^Optional/,
      'a fresh form has no image to keep',
    );
    assert.match(again.components.at(-1)?.description ?? '', /keep the image you sent/);

    // Out of balance: the same plain answer and button.
    api.misbehaveAll({ kind: 'status', status: 402, body: '{}' });
    const resent = submit(again, channel, { prompt: text('A calm harbour at dawn') });
    const broke = await answerTo(resent);
    assert.match(broke.content ?? '', /run out of balance; no video was started/);
    assert.ok(editButtonOf(resent));
    const body = lastCreateBody();
    assert.equal(body.prompt, 'A calm harbour at dawn');
    assert.match(JSON.stringify(body), /harbour\.png/, 'the image kept from the first submission');
  });

  it('sends at once when the command has a prompt, checking its options like the form', async () => {
    const channel = newChannel();
    const before = api.creates.length;
    const quick = createCommand(channel, {
      prompt: 'A paper boat on a rainy street',
      model: 'veo_3_1_pro@1080p',
      orientation: '9:16',
      image: { filename: 'boat.jpg', contentType: 'image/jpeg' },
    });
    const reply = await answerTo(quick, /Started/);
    assert.equal(reply.deferred, true);
    assert.equal(discord.modals.has(quick), false, 'no form');
    assert.equal(api.creates.length, before + 1);
    const create = api.creates.at(-1);
    assert.equal(create?.idempotencyKey, `discord-interaction:${quick}`);
    const body = create?.body as Record<string, unknown>;
    assert.equal(body.model, 'veo_3_1_pro');
    assert.equal(body.resolution, '1080p');
    assert.equal(body.aspect_ratio, '9:16');
    assert.match(JSON.stringify(body), /boat\.jpg/);
    assert.ok(reply.content?.includes(discord.messagesIn(channel)[0]?.id ?? 'no card'));

    const defaults = createCommand(newChannel(), { prompt: 'A kite over the dunes' });
    await answerTo(defaults, /Started/);
    assert.equal(lastCreateBody().model, 'veo_3_1_fast');

    const wrong = createCommand(newChannel(), { prompt: 'A kite', seconds: 12 });
    assert.match((await answerTo(wrong)).content ?? '', /Clip length: .*8/);
    assert.ok(editButtonOf(wrong));
    const notImage = createCommand(newChannel(), {
      prompt: 'A kite',
      image: { filename: 'notes.pdf', contentType: 'application/pdf' },
    });
    assert.match(
      (await answerTo(notImage)).content ?? '',
      /Reference image: That file is not an image/,
    );
    assert.equal(api.creates.length, before + 2, 'neither was sent');
  });

  it('keeps an image given with the command when the form is sent without another', async () => {
    const channel = newChannel();
    const modal = await formShownFor(
      createCommand(channel, { model: 'openAiSora2Pro', seconds: 8, image: REFERENCE }),
    );
    assert.deepEqual(picked(modal, 'model'), ['openAiSora2Pro']);
    assert.deepEqual(picked(modal, 'seconds'), ['8']);
    const sent = submit(modal, channel, { prompt: text('Gulls over the harbour') });
    await answerTo(sent, /Started/);
    const body = lastCreateBody();
    assert.equal(body.model, 'openAiSora2Pro');
    assert.match(JSON.stringify(body), /harbour\.png/);
  });

  it('says a form kept for an hour has expired', async () => {
    const channel = newChannel();
    const wrong = createCommand(channel, { prompt: 'A kite', seconds: 4 });
    await answerTo(wrong);
    const button = editButtonOf(wrong) ?? '';
    await rig.clock.advance(60 * 60_000 + 1);
    const click = discord.clickButton({ answerOf: wrong, customId: button, userId: ANN });
    const reply = await answerTo(click);
    assert.equal(reply.content, 'This form has expired; run /sora-create again.');
    assert.equal(reply.ephemeral, true);
    assert.equal(discord.modals.has(click), false);
  });
});
