import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BadResponse, InvalidTaskId } from '../../src/sora/errors.ts';
import { isTerminal, parseTask, parseTaskId } from '../../src/sora/task.ts';

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
      [{ ...base, status: 'queued', object: 'list' }, /"object"/],
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

describe('parseTaskId', () => {
  it('accepts the ids the API hands out, trimming surrounding space', () => {
    assert.equal(parseTaskId(' sora_abc-123 '), 'sora_abc-123');
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
