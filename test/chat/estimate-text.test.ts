import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { statusEmbed } from '../../src/adapters/discord/render.ts';
import { statusLine } from '../../src/adapters/shell/render.ts';
import { statusCard } from '../../src/adapters/slack/render.ts';
import { spokenEstimate } from '../../src/chat/estimate-text.ts';
import { type StatusView, viewKey } from '../../src/chat/status-view.ts';

const s = 1000;
const min = 60 * s;

function running(remainingMs: number): StatusView {
  return {
    taskId: 'vgen_abc',
    status: 'processing',
    tone: 'running',
    modelName: 'VEO 3.1 Fast',
    startedAt: 1_767_225_600_000,
    elapsedMs: 2 * min,
    remainingMs,
    expectedAt: 1_767_225_600_000 + 2 * min + remainingMs,
    progress: 0.4,
    progressBar: '▰▰▰▰▱▱▱▱▱▱ 40%',
    requesters: ['U1'],
  };
}

/** Everything a status rendering shows in words, as one string per platform. */
const renderings: Record<string, (view: StatusView) => string> = {
  slack: (view) => JSON.stringify(statusCard(view).blocks),
  terminal: statusLine,
};

const discordFields = (view: StatusView) =>
  (statusEmbed(view).fields ?? []).map((f) => `${f.name}: ${f.value}`).join('\n');

describe('estimates as a person says them', () => {
  it('rounds: under a minute, whole minutes under 10, the nearest 5 above', () => {
    const said: [number, string][] = [
      [10 * s, 'any moment now'],
      [40 * s, 'under a minute'],
      [3 * min + 25 * s, 'about 3 min'],
      [3 * min + 40 * s, 'about 4 min'],
      [9 * min + 20 * s, 'about 9 min'],
      [12 * min, 'about 10 min'],
      [13 * min, 'about 15 min'],
      [47 * min, 'about 45 min'],
      [58 * min, 'about 1 h'],
      [83 * min, 'about 1 h 25 min'],
    ];
    for (const [ms, text] of said) assert.equal(spokenEstimate(ms), text, `${ms} ms`);
  });

  for (const [platform, render] of Object.entries(renderings)) {
    it(`${platform}: shows the spoken estimate, and says "left" once`, () => {
      const text = render(running(3 * min + 25 * s));
      assert.match(text, /about 3 min\b/);
      assert.doesNotMatch(text, /3 min 25 s/);
      for (const ms of [10 * s, 40 * s, 3 * min, 25 * min]) {
        assert.doesNotMatch(render(running(ms)), /\bleft\b.*\bleft\b/s, `${platform}, ${ms} ms`);
      }
    });
  }

  it('discord: times are timestamps that count on their own, never "left … left"', () => {
    const view = running(3 * min + 25 * s);
    const text = discordFields(view);
    assert.match(text, /^Started: <t:1767225600:R>$/m);
    assert.match(
      text,
      new RegExp(`^Expected: <t:${(1_767_225_600_000 + 5 * min + 25 * s) / 1000}:R>$`, 'm'),
    );
    assert.doesNotMatch(text, /3 min 25 s|\bleft\b/);
    const done = discordFields({
      ...view,
      status: 'completed',
      tone: 'done',
      expectedAt: undefined,
    } as StatusView);
    assert.match(done, /^Took: 2 min/m, 'a finished task says how long it took');
    assert.doesNotMatch(done, /<t:/);
  });

  it('edits the status only when the estimate as it reads changes', () => {
    const key = (ms: number) => viewKey(running(ms));
    assert.equal(key(3 * min + 25 * s), key(3 * min + 10 * s), 'both "about 3 min"');
    assert.notEqual(key(3 * min + 25 * s), key(2 * min + 10 * s));
    assert.equal(key(17 * min), key(16 * min), 'both "about 15 min"');
    assert.notEqual(key(17 * min), key(23 * min));
  });
});
