import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BadResponse, InvalidTaskId } from '../../src/sora/errors.ts';
import {
  CANCELLED_AT_SERVICE,
  isCancelled,
  isTerminal,
  parseTask,
  parseTaskId,
  taskProblem,
} from '../../src/sora/task.ts';

const base = { id: 'sora_1', object: 'video.generation', created: 1_760_000_000, model: 'm' };

describe('parseTask', () => {
  it('normalises a completed task', () => {
    assert.deepEqual(
      parseTask({
        ...base,
        status: 'completed',
        video_url: 'https://cdn.example/v.mp4?sig=1',
        actualDuration: 8,
      }),
      {
        ...base,
        status: 'completed',
        videoUrl: 'https://cdn.example/v.mp4?sig=1',
        actualDuration: 8,
      },
    );
  });

  it('treats null fields as absent and reads an error object’s message', () => {
    const task = parseTask({
      ...base,
      status: 'failed',
      video_url: null,
      error: { message: 'nope' },
    });
    assert.equal(task.videoUrl, undefined);
    assert.equal(task.error, 'nope');
  });

  it('refuses answers that are not a task, naming what is wrong', () => {
    const cases: [unknown, RegExp][] = [
      [null, /not a JSON object/],
      [[base], /not a JSON object/],
      ['{"id":1}', /not a JSON object/],
      [{ ...base, status: 'queued', id: 7 }, /"id"/],
      [{ ...base, status: 'queued', object: 7 }, /"object"/],
      [{ ...base, status: 'queued', object: '' }, /"object"/],
      [{ ...base, status: 'queued', created: '2026-01-01' }, /"created"/],
      [{ ...base, status: '' }, /"status"/],
      [{ ...base, status: 'completed', video_url: 'not a url' }, /"video_url"/],
      [{ ...base, status: 'completed', actualDuration: '8' }, /"actualDuration"/],
      [{ ...base, status: 'failed', error: 42 }, /"error"/],
    ];
    for (const [body, detail] of cases) {
      assert.throws(
        () => parseTask(body),
        (error: unknown) => error instanceof BadResponse && detail.test(error.detail),
        JSON.stringify(body),
      );
    }
  });
});

/** The service's answers, as JSON text: decimals stay visible (JSON.parse reads 8.0 as 8). */
const answers = {
  veoQueued: `{"id":"vgen_abc123","object":"video","created":1760000000,"model":"veo_3_1_fast",
    "status":"queued","video_url":null,"error":null}`,
  seedanceDone: `{"id":"video_9f2e","object":"video","created":1760000000,"model":"seedance_2_0",
    "status":"completed","video_url":"https://cdn.example/s.mp4","actualDuration":5.04,"error":null}`,
  videosDone: `{"id":"proj_77aa","object":"video","created":1760000000,"model":"videos",
    "status":"completed","video_url":"https://cdn.example/p.mp4","actualDuration":4.0,"error":null}`,
  grokFailed: `{"id":"video_grok1","object":"video","created":1760000000,"model":"grok_video",
    "status":"failed","video_url":null,"actualDuration":null,"error":"Prompt refused"}`,
  viduProcessing: `{"id":"video_vidu1","object":"video","created":1760000000,"model":"vidu_q2",
    "status":"processing","video_url":null,"actualDuration":null,"error":null}`,
  seedanceCancelled: `{"id":"video_c1","object":"video","created":1760000000,
    "model":"doubao-seedance-1-5-pro-251215","status":"cancelled","video_url":null,"error":null}`,
};

describe('parseTask for every family of the service', () => {
  it('reads a VEO answer: "object" "video", nulls as absent', () => {
    assert.deepEqual(parseTask(JSON.parse(answers.veoQueued)), {
      id: 'vgen_abc123',
      object: 'video',
      created: 1_760_000_000,
      model: 'veo_3_1_fast',
      status: 'queued',
    });
  });

  it('keeps decimal clip lengths of Seedance and "Videos" answers', () => {
    const seedance = parseTask(JSON.parse(answers.seedanceDone));
    assert.equal(seedance.actualDuration, 5.04);
    assert.equal(seedance.videoUrl, 'https://cdn.example/s.mp4');
    assert.equal('error' in seedance, false);
    const videos = parseTask(JSON.parse(answers.videosDone));
    assert.equal(videos.id, 'proj_77aa');
    assert.equal(videos.model, 'videos');
    assert.equal(videos.actualDuration, 4);
  });

  it('reads Grok and Vidu answers with a null clip length', () => {
    const grok = parseTask(JSON.parse(answers.grokFailed));
    assert.equal(grok.status, 'failed');
    assert.equal(grok.error, 'Prompt refused');
    assert.equal('actualDuration' in grok, false);
    assert.equal('videoUrl' in grok, false);
    const vidu = parseTask(JSON.parse(answers.viduProcessing));
    assert.equal(vidu.status, 'processing');
    assert.deepEqual(Object.keys(vidu).sort(), ['created', 'id', 'model', 'object', 'status']);
  });

  it('reads a cancelled task as an ending, in either spelling, with its sentence', () => {
    const cancelled = parseTask(JSON.parse(answers.seedanceCancelled));
    assert.equal(cancelled.status, 'cancelled');
    assert.equal(isTerminal(cancelled.status), true);
    assert.equal(isCancelled(cancelled.status), true);
    assert.equal(taskProblem(cancelled), 'The task was cancelled at the service.');
    assert.equal(CANCELLED_AT_SERVICE, 'The task was cancelled at the service.');
    const canceled = parseTask({ ...JSON.parse(answers.seedanceCancelled), status: 'canceled' });
    assert.equal(canceled.status, 'canceled', 'the word is kept as the service wrote it');
    assert.equal(taskProblem(canceled), CANCELLED_AT_SERVICE);
  });

  it('prefers the service’s own error text for a cancelled task', () => {
    const task = parseTask({
      ...JSON.parse(answers.seedanceCancelled),
      error: 'Cancelled by the account owner',
    });
    assert.equal(taskProblem(task), 'Cancelled by the account owner');
  });

  it('keeps an undocumented status as it is, with no problem to report', () => {
    const task = parseTask({ ...JSON.parse(answers.veoQueued), status: 'upscaling' });
    assert.equal(task.status, 'upscaling');
    assert.equal(isTerminal(task.status), false);
    assert.equal(taskProblem(task), undefined);
  });
});

describe('parseTaskId', () => {
  it('accepts the ids the API hands out, trimming surrounding space', () => {
    assert.equal(parseTaskId(' sora_abc-123 '), 'sora_abc-123');
    for (const id of ['vgen_abc123', 'video_9f2e', 'proj_77aa']) assert.equal(parseTaskId(id), id);
    assert.equal(parseTaskId('x'.repeat(128)), 'x'.repeat(128));
  });

  it('says why an id is refused', () => {
    assert.throws(
      () => parseTaskId(''),
      (e: unknown) => e instanceof InvalidTaskId && /empty/.test(e.reason),
    );
    assert.throws(() => parseTaskId('x'.repeat(129)), /longer than 128/);
    assert.throws(() => parseTaskId('a/b'), /characters other than/);
  });
});

describe('isTerminal', () => {
  it('ends on the documented final statuses and on clear synonyms, in any case', () => {
    for (const status of ['completed', 'failed', 'cancelled', 'CANCELED', 'expired', 'error']) {
      assert.equal(isTerminal(status), true, status);
    }
    for (const status of ['queued', 'processing', 'in_progress', 'upscaling']) {
      assert.equal(isTerminal(status), false, status);
    }
  });
});
