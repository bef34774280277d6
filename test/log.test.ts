import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import { createLogger, safeUrl } from '../src/log.ts';

/** A stream that collects what is written, optionally posing as a terminal. */
function capture(isTTY: boolean): {
  stream: PassThrough & { isTTY?: boolean };
  text: () => string;
} {
  const stream: PassThrough & { isTTY?: boolean } = new PassThrough();
  if (isTTY) stream.isTTY = true;
  let text = '';
  stream.setEncoding('utf8').on('data', (chunk: string) => {
    text += chunk;
  });
  return { stream, text: () => text };
}

const SECRETS = {
  apiKey: 'sk-live-never-logged',
  token: 'xoxb-never-logged',
  botToken: 'xoxb-bot-never-logged',
  intakeToken: 'intake-never-logged',
  signingSecret: 'signing-never-logged',
};

describe('createLogger', () => {
  it('writes JSON lines to a pipe, with every secret key redacted at any depth', async () => {
    const out = capture(false);
    const logger = createLogger('info', out.stream);
    logger.info({ ...SECRETS, nested: { deeper: SECRETS } }, 'starting');
    await new Promise((resolve) => setImmediate(resolve));
    const line = JSON.parse(out.text().trim());
    assert.equal(line.msg, 'starting');
    assert.equal(line.apiKey, '[redacted]');
    assert.equal(line.nested.deeper.intakeToken, '[redacted]');
    assert.doesNotMatch(out.text(), /never-logged/);
  });

  it('writes readable lines to a terminal, still redacted', async () => {
    const out = capture(true);
    const logger = createLogger('info', out.stream);
    logger.info({ taskId: 'sora_1', ...SECRETS }, 'watch started');
    await new Promise((resolve) => setTimeout(resolve, 50));
    const text = out.text();
    assert.match(text, /INFO.*watch started/);
    assert.match(text, /taskId: "sora_1"/);
    assert.throws(() => JSON.parse(text), 'not JSON');
    assert.doesNotMatch(text, /never-logged/);
  });
});

describe('safeUrl', () => {
  it('keeps the origin and path of a signed link and drops its query and fragment', () => {
    assert.equal(
      safeUrl('https://cdn.example.com/v/clip.mp4?X-Amz-Signature=abc&Expires=1#t'),
      'https://cdn.example.com/v/clip.mp4',
    );
    assert.equal(safeUrl('not a url'), '[unparseable url]');
  });
});
