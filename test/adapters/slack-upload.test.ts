/**
 * The Slack adapter's clip upload against the fake Slack over real HTTP: the bytes go to the
 * upload link as one raw, sized stream, the delivery record hears of the file before its
 * bytes and its share, and a retry looks at the recorded file before anything else.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { SlackAdapter } from '../../src/adapters/slack/index.ts';
import { ShareNotVisibleYet } from '../../src/adapters/slack/upload.ts';
import { silentLogger } from '../../src/log.ts';
import type { DeliveryUpload, Subscription } from '../../src/watch/watch.ts';
import { type FakeSlackApi, startFakeSlackApi } from '../fakes/slack-api.ts';
import { FIXTURE } from '../fakes/video-cdn.ts';

const BOT_TOKEN = 'xoxb-upload-test';
let slack: FakeSlackApi;
let adapter: SlackAdapter;
let dir: string;
/** A clip of several MiB: the fixture's MP4 start, then noise. */
let clip: { path: string; bytes: number; data: Buffer };

before(async () => {
  slack = await startFakeSlackApi({ botToken: BOT_TOKEN });
  adapter = new SlackAdapter({
    botToken: BOT_TOKEN,
    signingSecret: 'upload-test-secret',
    apiUrl: slack.apiUrl,
    port: 0,
    logger: silentLogger,
  });
  dir = await mkdtemp(path.join(tmpdir(), 'sora-slack-upload-'));
  const data = Buffer.concat([FIXTURE, randomBytes(6 * 1024 * 1024 + 17)]);
  const file = path.join(dir, 'clip.mp4');
  await writeFile(file, data);
  clip = { path: file, bytes: data.length, data };
});

after(async () => {
  await slack.close();
  await rm(dir, { recursive: true, force: true });
});

function sub(channel: string, upload?: DeliveryUpload): Subscription {
  return {
    target: `slack:${channel}`,
    requesters: ['U0UP'],
    delivery: 'started',
    deliveryAttempts: 1,
    since: 0,
    ...(upload ? { upload } : {}),
  };
}

function video(id: string) {
  const task = {
    id,
    object: 'video.generation',
    created: Math.floor(Date.now() / 1000),
    model: 'openAiSora2Plus',
    status: 'completed',
  };
  return { task, file: { path: clip.path, bytes: clip.bytes } };
}

/** Records what the adapter reports, with what the fake had seen at that moment. */
function recorder() {
  const steps: { upload: DeliveryUpload; bytesArrived: boolean; completions: number }[] = [];
  return {
    steps,
    progress: {
      async recordUpload(upload: DeliveryUpload) {
        steps.push({
          upload,
          bytesArrived: slack.uploads.some((u) => u.fileId === upload.fileId),
          completions: slack.callsOf('files.completeUploadExternal').length,
        });
      },
    },
  };
}

describe('Slack clip upload', () => {
  it('streams the file raw with its length, and records the file before bytes and share', async () => {
    const { steps, progress } = recorder();
    const completions = slack.callsOf('files.completeUploadExternal').length;
    await adapter.deliverVideo(sub('C0STREAM'), video('sora_up_stream'), progress);
    const shares = slack.sharesIn('C0STREAM');
    assert.equal(shares.length, 1);
    const file = slack.files.find((f) => f.fileId === shares[0]?.fileId);
    assert.ok(file);
    assert.ok(file.bytes.equals(clip.data), 'the exact bytes');
    const [upload, ...more] = slack.uploads.filter((u) => u.fileId === file.fileId);
    assert.equal(more.length, 0, 'one POST of the bytes');
    assert.deepEqual(upload, {
      fileId: file.fileId,
      contentType: 'application/octet-stream',
      contentLength: String(clip.bytes),
      transferEncoding: undefined,
      complete: true,
    });
    const asked = slack.callsOf('files.getUploadURLExternal').at(-1)?.params;
    assert.equal(asked?.length, String(clip.bytes));
    assert.deepEqual(
      steps.map((s) => s.upload),
      [{ fileId: file.fileId }, { fileId: file.fileId, sharing: true }],
    );
    assert.equal(steps[0]?.bytesArrived, false, 'the file id is kept before any byte goes');
    assert.equal(steps[1]?.completions, completions, 'sharing is kept before the share');
    assert.match(file.initialComment ?? '', /^<@U0UP> /);
  });

  it('posts nothing again when the recorded file is already shared in the channel', async () => {
    await adapter.deliverVideo(sub('C0DONE'), video('sora_up_done'));
    const [first] = slack.sharesIn('C0DONE');
    assert.ok(first);
    const urls = slack.callsOf('files.getUploadURLExternal').length;
    const messages = slack.messages.length;
    const { steps, progress } = recorder();
    await adapter.deliverVideo(
      sub('C0DONE', { fileId: first.fileId, sharing: true }),
      video('sora_up_done'),
      progress,
    );
    assert.equal(slack.sharesIn('C0DONE').length, 1);
    assert.equal(slack.callsOf('files.getUploadURLExternal').length, urls, 'no new upload');
    assert.equal(slack.messages.length, messages, 'no message either');
    assert.equal(steps.length, 0);
    assert.equal(slack.callsOf('files.info').at(-1)?.params.file, first.fileId);
  });

  it('never asks twice for a share that was asked for and is not visible yet', async () => {
    const id = 'F_ASKED_NOT_SEEN';
    const completions = slack.callsOf('files.completeUploadExternal').length;
    const urls = slack.callsOf('files.getUploadURLExternal').length;
    await assert.rejects(
      adapter.deliverVideo(sub('C0WAIT', { fileId: id, sharing: true }), video('sora_up_wait')),
      ShareNotVisibleYet,
    );
    assert.equal(slack.callsOf('files.info').at(-1)?.params.file, id);
    assert.equal(slack.callsOf('files.completeUploadExternal').length, completions);
    assert.equal(slack.callsOf('files.getUploadURLExternal').length, urls);
    assert.equal(slack.sharesIn('C0WAIT').length, 0);
    assert.equal(slack.messages.filter((m) => m.channel === 'C0WAIT').length, 0, 'no link instead');
  });

  it('starts a fresh upload when the recorded one never got to its share', async () => {
    const { progress } = recorder();
    const target = await fetch(`${slack.apiUrl}files.getUploadURLExternal`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${BOT_TOKEN}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'filename=half.mp4&length=10',
    });
    const { file_id: stale } = (await target.json()) as { file_id: string };
    await adapter.deliverVideo(sub('C0AGAIN', { fileId: stale }), video('sora_up_again'), progress);
    const shares = slack.sharesIn('C0AGAIN');
    assert.equal(shares.length, 1);
    assert.notEqual(shares[0]?.fileId, stale, 'the unshared upload is left to Slack to drop');
    assert.ok(slack.files.find((f) => f.fileId === shares[0]?.fileId)?.bytes.equals(clip.data));
  });

  it('reports refused bytes as an HTTP error the tracker retries, sharing nothing', async () => {
    slack.refuseUploads(503);
    await assert.rejects(
      adapter.deliverVideo(sub('C0REFUSED'), video('sora_up_refused')),
      (error: Error & { statusCode?: number }) => error.statusCode === 503,
    );
    assert.equal(slack.sharesIn('C0REFUSED').length, 0);
  });
});
