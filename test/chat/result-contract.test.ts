/**
 * Every chat adapter announces the same ending with the same facts, and none says more than
 * is true: no "ready" without a clip or a working link, no validity for a link that expired
 * or never existed, never "undefined". The inputs are built as the finisher builds them
 * (it always passes the link's earliest expiry, and the reason as the sentence people read).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { resultText as discordText, tooLargeReason } from '../../src/adapters/discord/render.ts';
import { resultLine } from '../../src/adapters/shell/render.ts';
import { resultMessage as slackText } from '../../src/adapters/slack/render.ts';
import type { FinishedVideo, TaskFailure } from '../../src/chat/port.ts';
import { buildResultView } from '../../src/chat/result-view.ts';
import { LinkExpired, userMessage, VideoTooLarge } from '../../src/sora/errors.ts';
import { VIDEO_LINK_LIFETIME_MS, type VideoTask } from '../../src/sora/task.ts';
import { formatUtc } from '../../src/time-format.ts';
import type { Subscription } from '../../src/watch/watch.ts';
import { RecordingAdapter } from '../support/recording-adapter.ts';

const CREATED = 1_767_225_600; // 2026-01-01 00:00 UTC
const EXPIRES_MS = CREATED * 1000 + VIDEO_LINK_LIFETIME_MS;
const LINK = 'https://cdn.example/videos/vgen_fox.mp4';
const SUB: Subscription = {
  target: 'test:place',
  requesters: ['U1'],
  requestedBy: ['ci-pipeline'],
  delivery: 'started',
  deliveryAttempts: 1,
  since: 0,
};
const PROMPT = 'a red fox in the snow';

// The cases are built when the tests are declared, so the clip must exist by then.
const dir = mkdtempSync(path.join(tmpdir(), 'result-contract-'));
const clipPath = path.join(dir, 'vgen_fox.mp4');
writeFileSync(clipPath, Buffer.alloc(4096));
after(() => rm(dir, { recursive: true, force: true }));

function completed(overrides: Partial<VideoTask> = {}): VideoTask {
  return {
    id: 'vgen_fox',
    object: 'video',
    created: CREATED,
    model: 'veo_3_1_fast',
    status: 'completed',
    videoUrl: LINK,
    actualDuration: 8,
    ...overrides,
  };
}

function finished(task: VideoTask, extra: Partial<FinishedVideo>): FinishedVideo {
  return { task, linkExpiresAt: EXPIRES_MS, prompt: PROMPT, ...extra };
}

interface Case {
  name: string;
  result: FinishedVideo | TaskFailure;
  /** The facts every rendering states. */
  says: string[];
  /** Whether the link and its validity are given. */
  workingLink: boolean;
  /** Whether "ready" may be said: a clip is here, or its link works. */
  ready: boolean;
}

const tooLarge = userMessage(new VideoTooLarge(50 * 1024 * 1024, 80 * 1024 * 1024));
const expired = userMessage(new LinkExpired(403));
const noLink = 'The task completed without a video link.';

const cases = (): Case[] => [
  {
    name: 'clip delivered',
    result: finished(completed(), { file: { path: clipPath, bytes: 4096 } }),
    says: ['vgen_fox', 'VEO 3.1 Fast', '8 s clip', PROMPT],
    workingLink: false,
    ready: true,
  },
  {
    name: 'link only: the clip is too large',
    result: finished(completed(), { fileProblem: tooLarge }),
    says: ['vgen_fox', 'VEO 3.1 Fast', '8 s clip', PROMPT, tooLarge, LINK],
    workingLink: true,
    ready: true,
  },
  {
    name: 'link only: the link has expired',
    result: finished(completed(), { fileProblem: expired }),
    says: ['vgen_fox', 'VEO 3.1 Fast', '8 s clip', PROMPT, expired],
    workingLink: false,
    ready: false,
  },
  {
    name: 'link only: expired, as the finisher marks it, whatever the sentence',
    result: finished(completed(), {
      fileProblem: 'The service no longer has this video.',
      linkExpired: true,
    }),
    says: ['vgen_fox', 'VEO 3.1 Fast', '8 s clip', PROMPT, 'The service no longer has this video.'],
    workingLink: false,
    ready: false,
  },
  {
    name: 'no link at all',
    result: finished(completed({ videoUrl: undefined }), { fileProblem: noLink }),
    says: ['vgen_fox', 'VEO 3.1 Fast', '8 s clip', PROMPT, noLink],
    workingLink: false,
    ready: false,
  },
  {
    name: 'failure',
    result: {
      taskId: 'vgen_fox',
      task: completed({ status: 'failed', videoUrl: undefined, error: 'Prompt rejected' }),
      reason: 'Prompt rejected',
    },
    says: ['vgen_fox', 'VEO 3.1 Fast', 'Prompt rejected', 'without a video'],
    workingLink: false,
    ready: false,
  },
  {
    name: 'cancelled',
    result: {
      taskId: 'vgen_fox',
      task: completed({ status: 'cancelled', videoUrl: undefined }),
      reason: 'The task was cancelled at the service.',
    },
    says: ['vgen_fox', 'The task was cancelled at the service.', 'without a video'],
    workingLink: false,
    ready: false,
  },
];

/** Each platform's rendering of one result, as the platform's adapter produces it. */
const renderings: Record<string, (result: FinishedVideo | TaskFailure) => Promise<string>> = {
  slack: async (result) => slackText(buildResultView(SUB, result)),
  discord: async (result) => discordText(buildResultView(SUB, result)),
  terminal: async (result) => {
    const savedTo = 'file' in result && result.file ? '/clips/vgen_fox.mp4' : undefined;
    return resultLine(buildResultView(SUB, result), savedTo);
  },
  recorder: async (result) => {
    const recorder = new RecordingAdapter();
    if ('reason' in result) await recorder.deliverFailure(SUB, result);
    else await recorder.deliverVideo(SUB, result);
    return recorder.delivered[0]?.text ?? '';
  },
};

/** How each rendering may show the expiry: Unix seconds (Slack, Discord) or a date. */
const EXPIRY_MARKS = [
  String(Math.floor(EXPIRES_MS / 1000)),
  formatUtc(EXPIRES_MS),
  new Date(EXPIRES_MS).toISOString(),
];

describe('result announcements, on every chat adapter', () => {
  for (const [platform, render] of Object.entries(renderings)) {
    for (const c of cases()) {
      it(`${platform}: ${c.name}`, async () => {
        const text = await render(c.result);
        for (const fact of c.says) assert.ok(text.includes(fact), `says "${fact}":\n${text}`);
        assert.match(text, /@U1\b/, 'mentions who asked');
        assert.ok(text.includes('ci-pipeline'), 'names who asked from outside the chat');
        assert.doesNotMatch(text, /undefined|null|NaN/);
        if (!c.ready) assert.doesNotMatch(text, /\bready\b/i, text);
        const showsExpiry = EXPIRY_MARKS.some((mark) => text.includes(mark));
        assert.equal(showsExpiry, c.workingLink, `expiry shown only with a working link:\n${text}`);
        assert.equal(text.includes(LINK), c.workingLink, `link shown only when it works:\n${text}`);
        if (!c.workingLink) assert.doesNotMatch(text, /valid until|stops working/);
      });
    }
  }

  it('a clip the platform refused is announced with its link and the platform’s reason', () => {
    const video = finished(completed(), { file: { path: clipPath, bytes: 80 * 1024 * 1024 } });
    const why = tooLargeReason(80 * 1024 * 1024, 10 * 1024 * 1024);
    const view = buildResultView(SUB, video, why);
    assert.equal(view.outcome, 'link');
    for (const text of [slackText(view), discordText(view), resultLine(view)]) {
      assert.ok(text.includes(why), text);
      assert.ok(text.includes(LINK), text);
      assert.ok(
        EXPIRY_MARKS.some((mark) => text.includes(mark)),
        text,
      );
    }
  });
});
