import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import { boltLogger } from '../../src/adapters/slack/bolt-logger.ts';
import { createLogger } from '../../src/log.ts';

/** A Bolt logger on a real process logger at debug level, and the messages it wrote. */
function bridge(): { slack: ReturnType<typeof boltLogger>; messages: () => Promise<string[]> } {
  const stream = new PassThrough();
  let text = '';
  stream.setEncoding('utf8').on('data', (chunk: string) => {
    text += chunk;
  });
  const slack = boltLogger(createLogger('debug', stream));
  return {
    slack,
    async messages() {
      await new Promise((resolve) => setImmediate(resolve));
      return text
        .split('\n')
        .filter(Boolean)
        .map((line) => (JSON.parse(line) as { msg: string }).msg);
    },
  };
}

describe('boltLogger', () => {
  it('keeps only the label of the WebClient’s dumps of requests and answers', async () => {
    const { slack, messages } = bridge();
    slack.debug('http request body: {"channel":"C1","text":"<@U1> your clip"}');
    slack.debug('http request headers: {"Authorization":"[[REDACTED]]"}');
    slack.debug('http request result: {"ok":true,"message":{"text":"<@U1> your clip"}}');
    assert.deepEqual(await messages(), [
      'http request body: [omitted]',
      'http request headers: [omitted]',
      'http request result: [omitted]',
    ]);
  });

  it('scrubs links and tokens, serializes errors and cuts long lines', async () => {
    const { slack, messages } = bridge();
    const error = Object.assign(new Error('An API error occurred: invalid_auth'), {
      code: 'slack_webapi_platform_error',
      data: { ok: false, error: 'invalid_auth', token: 'xoxb-1-2-never-logged' },
    });
    slack.debug('http request url: https://files.slack.com/upload/v1/x?sig=never-logged');
    slack.warn('http request failed', error);
    slack.info('token xoxb-1-2-never-logged', { detail: 'x'.repeat(5_000) });
    const [url, failed, long] = await messages();
    assert.equal(url, 'http request url: https://files.slack.com/upload/v1/x');
    assert.match(failed ?? '', /^http request failed \{"name":"Error","message":"An API error/);
    assert.doesNotMatch(failed ?? '', /"data"/);
    assert.ok((long?.length ?? 0) <= 2_001, `${long?.length} characters`);
    assert.doesNotMatch([url, failed, long].join('\n'), /never-logged/);
  });
});
