/**
 * A video asked for through the intake, with the bot killed (SIGKILL) while the service holds
 * the create call: the key was recorded before the call, so after the restart the same key
 * is answered "it may have started" and nothing is sent again, and a new key makes a video.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FakeSoraApi } from '../fakes/sora-api.ts';
import { FakeWorld, SECRETS } from '../support/fake-world.ts';
import { waitFor } from '../support/wait-for.ts';

let world: FakeWorld;
let api: FakeSoraApi;

before(async () => {
  world = await FakeWorld.start();
  api = world.api;
});
after(() => world.close());

async function postVideo(url: string, key: string) {
  const response = await fetch(`${url}/v1/videos`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${SECRETS.intakeToken}`,
      'content-type': 'application/json',
      'idempotency-key': key,
    },
    body: JSON.stringify({
      model: 'veo_3_1_fast',
      prompt: 'a lighthouse in a storm',
      notify: ['slack:C0CRASH01'],
      requested_by: 'ci-pipeline',
    }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const createCalls = () => api.requests.filter((r) => r.method === 'POST').length;

describe('a create cut off by a crash', () => {
  it('is never sent again under its key after the restart', async () => {
    const env = { INTAKE_TOKEN: SECRETS.intakeToken };
    const first = await world.startBot({ platforms: ['slack'], dataName: 'crash', env });
    api.misbehaveAll({ kind: 'hang' });
    const lost = postVideo(first.url, 'build-77').catch(() => undefined);
    await waitFor(() => createCalls() === 1, 'the create held by the service');
    await first.process.kill('SIGKILL');
    await lost;

    const second = await world.startBot({
      platforms: ['slack'],
      dataName: 'crash',
      port: first.port,
      env,
    });
    const again = await postVideo(second.url, 'build-77');
    assert.equal(again.status, 409);
    assert.match(
      String(again.body.error),
      /its answer was lost, so it may have started; it is not sent again/,
    );
    assert.equal(createCalls(), 1, 'nothing sent again');

    const fresh = await postVideo(second.url, 'build-78');
    assert.equal(fresh.status, 201);
    assert.equal(createCalls(), 2);
    assert.equal(api.creates.at(-1)?.idempotencyKey, 'intake:build-78');
  });
});
