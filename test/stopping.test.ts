import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RESTARTING, refuseWhenStopping } from '../src/stopping.ts';

describe('refuseWhenStopping', () => {
  it('answers politely once stopping, offering a create its form again', async () => {
    let stopping = false;
    const asked: string[] = [];
    const handler = refuseWhenStopping(
      async (command) => {
        asked.push(command.kind);
        return { text: 'done', private: true };
      },
      () => stopping,
    );
    const origin = { target: 'test:here', requester: 'ann' };
    assert.equal((await handler({ kind: 'list', origin })).text, 'done');
    stopping = true;
    assert.deepEqual(await handler({ kind: 'list', origin }), { text: RESTARTING, private: true });
    assert.deepEqual(
      await handler({
        kind: 'create',
        request: { model: 'veo_3_1_fast', prompt: 'x' },
        origin,
        key: 'k',
      }),
      { text: RESTARTING, private: true, refused: true },
    );
    assert.deepEqual(asked, ['list'], 'nothing runs once stopping');
  });
});
