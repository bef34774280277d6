/**
 * The log's error serializer against the errors the real libraries throw: discord.js REST
 * calls and Slack WebClient calls made against the local fakes, refused as the platforms
 * refuse them, then serialized and written through the real logger.
 */
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { LogLevel, WebClient } from '@slack/web-api';
import { DiscordAPIError, HTTPError, REST, Routes } from 'discord.js';
import { createLogger, serializeError } from '../src/log.ts';
import type { LoggedError } from '../src/log-error.ts';
import { scrubText } from '../src/log-scrub.ts';
import { type FakeDiscord, startFakeDiscord } from './fakes/discord.ts';
import { type FakeSlackApi, startFakeSlackApi } from './fakes/slack-api.ts';
import { FIXTURE } from './fakes/video-cdn.ts';
import { freePort } from './support/redis.ts';

const DISCORD_BOT_TOKEN = 'discord-bot-token-never-logged';
const SLACK_BOT_TOKEN = 'xoxb-1234-5678-slack-never-logged';
const CHANNEL = '500000000000000077';
const APPLICATION_ID = '100000000000000001';
/** Shaped like a real interaction token: long, mixed-case base64. */
const INTERACTION_TOKEN =
  'aW50ZXJhY3Rpb246MTIzNDU2Nzg5MDEyMzQ1Njc4OTpOZXZlckxvZ2dlZFRva2VuMDEyMzQ1Njc4OQ';
const SIGNED_LINK =
  'https://cdn.example.com/v/clip.mp4?X-Amz-Signature=abc123def&X-Amz-Credential=AKIA1&sig=s1gn4ture';
/** Message content: it must never reach the log. */
const CONTENT = `<@400000000000000004> your clip is ready: MESSAGE-CONTENT-MARKER ${SIGNED_LINK}`;
/** The clip's first bytes as discord.js's error would print them, and as base64. */
const CLIP_AS_JSON = JSON.stringify([...FIXTURE.subarray(0, 12)]).slice(1, -1);
const CLIP_AS_BASE64 = FIXTURE.subarray(0, 12).toString('base64');

let discord: FakeDiscord;
let slack: FakeSlackApi;
let rest: REST;
let slackClient: WebClient;

before(async () => {
  [discord, slack] = await Promise.all([
    startFakeDiscord({ applicationId: APPLICATION_ID }),
    startFakeSlackApi({ botToken: SLACK_BOT_TOKEN }),
  ]);
  // No retries: a 5xx becomes an HTTPError at once.
  rest = new REST({ api: discord.apiUrl, retries: 0, makeRequest: fetch as never }).setToken(
    DISCORD_BOT_TOKEN,
  );
  slackClient = new WebClient(SLACK_BOT_TOKEN, {
    slackApiUrl: slack.apiUrl,
    retryConfig: { retries: 0 },
    logLevel: LogLevel.ERROR,
  });
});

after(async () => {
  await Promise.all([discord.close(), slack.close()]);
});

/** What a call threw; fails the test when it did not throw. */
async function thrown(call: Promise<unknown>): Promise<unknown> {
  try {
    await call;
  } catch (error) {
    return error;
  }
  assert.fail('the call did not fail');
}

/** The clip uploaded to the channel with content carrying a signed link. */
function upload(): Promise<unknown> {
  return rest.post(Routes.channelMessages(CHANNEL), {
    body: { content: CONTENT, attachments: [{ id: 0, filename: 'clip.mp4' }] },
    files: [{ name: 'clip.mp4', data: FIXTURE, contentType: 'video/mp4' }],
  });
}

/** The serialized error as text, checked for every secret and every byte of the body. */
function assertNothingSecret(text: string): void {
  for (const secret of [
    DISCORD_BOT_TOKEN,
    SLACK_BOT_TOKEN,
    INTERACTION_TOKEN,
    'MESSAGE-CONTENT-MARKER',
    'X-Amz-Signature',
    'sig=',
    'requestBody',
    CLIP_AS_JSON,
    CLIP_AS_BASE64,
  ]) {
    assert.ok(!text.includes(secret), `${secret} in ${text}`);
  }
}

/** Collects what a logger writes to a pipe. */
function capture(): { stream: PassThrough; lines: () => string[] } {
  const stream = new PassThrough();
  let text = '';
  stream.setEncoding('utf8').on('data', (chunk: string) => {
    text += chunk;
  });
  return { stream, lines: () => text.split('\n').filter(Boolean) };
}

/** The error discord.js throws for an upload Discord refuses for missing permissions. */
async function refusedUpload(): Promise<unknown> {
  discord.refuseNextUpload(CHANNEL, {
    kind: 'error',
    status: 403,
    code: 50013,
    message: 'Missing Permissions',
  });
  return thrown(upload());
}

describe('serializeError with discord.js errors', () => {
  it('keeps the facts of a refused upload and drops its body, files and content', async () => {
    const error = await refusedUpload();
    assert.ok(error instanceof DiscordAPIError);
    // The library's own error carries the whole request: what the serializer is for.
    assert.ok(JSON.stringify(error).includes(CLIP_AS_JSON));
    const logged = serializeError(error) as LoggedError;
    assert.equal(logged.name, 'DiscordAPIError[50013]');
    assert.equal(logged.message, 'Missing Permissions');
    assert.equal(logged.code, 50013);
    assert.equal(logged.status, 403);
    assert.equal(logged.method, 'POST');
    assert.equal(logged.path, `/api/v10/channels/${CHANNEL}/messages`);
    assert.match(logged.stack ?? '', /^at /);
    assert.deepEqual(
      Object.keys(logged).sort(),
      ['code', 'message', 'method', 'name', 'path', 'stack', 'status'],
      'nothing else',
    );
    assertNothingSecret(JSON.stringify(logged));
  });

  it('keeps the status of an HTTPError (a 5xx) and drops its body', async () => {
    discord.inject('POST', `/channels/${CHANNEL}/messages`, {
      kind: 'error',
      status: 502,
      code: 0,
      message: 'Bad Gateway',
    });
    const error = await thrown(upload());
    assert.ok(error instanceof HTTPError);
    const logged = serializeError(error) as LoggedError;
    assert.equal(logged.name, 'HTTPError');
    assert.equal(logged.status, 502);
    assert.equal(logged.method, 'POST');
    assert.equal(logged.path, `/api/v10/channels/${CHANNEL}/messages`);
    assertNothingSecret(JSON.stringify(logged));
  });

  it('masks the interaction token in the path of a refused deferral', async () => {
    const error = await thrown(
      rest.post(Routes.interactionCallback('700000000000000001', INTERACTION_TOKEN), {
        body: { type: 5, data: { flags: 64 } },
        auth: false,
      }),
    );
    assert.ok(error instanceof DiscordAPIError);
    assert.ok(error.url.includes(INTERACTION_TOKEN), 'the raw error has the token');
    const logged = serializeError(error) as LoggedError;
    assert.equal(logged.code, 10062);
    assert.equal(logged.status, 404);
    assert.equal(logged.path, '/api/v10/interactions/700000000000000001/[redacted]/callback');
    assertNothingSecret(JSON.stringify(logged));
  });

  it('masks the webhook token of an edit through the interaction webhook', async () => {
    const error = await thrown(
      rest.patch(Routes.webhookMessage(APPLICATION_ID, INTERACTION_TOKEN, '@original'), {
        body: { content: CONTENT },
        auth: false,
      }),
    );
    assert.ok(error instanceof DiscordAPIError);
    const logged = serializeError(error) as LoggedError;
    assert.equal(logged.method, 'PATCH');
    // "@original" as the URL encodes it.
    assert.equal(
      logged.path,
      `/api/v10/webhooks/${APPLICATION_ID}/[redacted]/messages/%40original`,
    );
    assertNothingSecret(JSON.stringify(logged));
  });
});

describe('serializeError with Slack WebClient errors', () => {
  it('keeps a platform error’s code and drops the answer it came with', async () => {
    slack.fail('chat.postMessage', { error: 'channel_not_found' });
    const error = await thrown(slackClient.chat.postMessage({ channel: 'C1', text: CONTENT }));
    const logged = serializeError(error) as LoggedError;
    assert.deepEqual(
      { name: logged.name, message: logged.message, code: logged.code },
      {
        name: 'WebAPIPlatformError',
        message: 'An API error occurred: channel_not_found',
        code: 'slack_webapi_platform_error',
      },
    );
    assert.equal('data' in logged, false);
    assertNothingSecret(JSON.stringify(logged));
  });

  it('keeps the status of a refused upload and drops its headers and body', async () => {
    slack.refuseUploads(500);
    const error = await thrown(
      slackClient.filesUploadV2({
        channel_id: 'C1',
        file: FIXTURE,
        filename: 'clip.mp4',
        initial_comment: CONTENT,
      }),
    );
    assert.ok((error as { headers?: unknown }).headers, 'the raw error has the headers');
    const logged = serializeError(error) as LoggedError;
    assert.equal(logged.name, 'WebAPIHTTPError');
    assert.equal(logged.code, 'slack_webapi_http_error');
    assert.equal(logged.status, 500);
    assert.equal('headers' in logged || 'body' in logged, false);
    assertNothingSecret(JSON.stringify(logged));
  });

  it('follows the cause of a request error down to the socket’s code', async () => {
    // A port nothing listens on: the connection is refused.
    const unreachable = new WebClient(SLACK_BOT_TOKEN, {
      slackApiUrl: `http://127.0.0.1:${await freePort()}/api/`,
      retryConfig: { retries: 0 },
      logLevel: LogLevel.ERROR,
    });
    const error = await thrown(unreachable.chat.postMessage({ channel: 'C1', text: CONTENT }));
    const logged = serializeError(error) as LoggedError;
    assert.equal(logged.code, 'slack_webapi_request_error');
    const fetchFailure = logged.cause as LoggedError;
    assert.equal(fetchFailure.message, 'fetch failed');
    assert.equal((fetchFailure.cause as LoggedError).code, 'ECONNREFUSED');
    assert.equal('original' in logged, false);
    assertNothingSecret(JSON.stringify(logged));
  });
});

describe('serializeError with any thrown value', () => {
  it('strips links, tokens and keys from messages and causes', () => {
    const cause = new Error(
      `POST https://discord.com/api/v10/webhooks/${APPLICATION_ID}/${INTERACTION_TOKEN}/messages/@original failed`,
    );
    const error = new Error(
      `GET ${SIGNED_LINK} failed with Bearer sk-live-key-never-logged and ${SLACK_BOT_TOKEN}`,
      { cause },
    );
    const logged = serializeError(error) as LoggedError;
    assert.equal(
      logged.message,
      'GET https://cdn.example.com/v/clip.mp4 failed with Bearer [redacted] and [redacted]',
    );
    assert.equal(
      (logged.cause as LoggedError).message,
      `POST https://discord.com/api/v10/webhooks/${APPLICATION_ID}/[redacted]/messages/@original failed`,
    );
    assert.doesNotMatch(JSON.stringify(logged), /never-logged|abc123def/);
  });

  it('stops following causes after a few, even in a cycle', () => {
    const error = new Error('round and round') as Error & { cause?: unknown };
    error.cause = error;
    let depth = 0;
    for (let at = serializeError(error) as LoggedError | undefined; at; depth += 1) {
      at = typeof at.cause === 'object' ? at.cause : undefined;
    }
    assert.equal(depth, 4, 'the error and three causes');
  });

  it('lists a few errors of an AggregateError, shallow', () => {
    const errors = Array.from({ length: 5 }, (_, i) =>
      Object.assign(new Error(`connect ECONNREFUSED 10.0.0.${i}:443`), { code: 'ECONNREFUSED' }),
    );
    const logged = serializeError(new AggregateError(errors, 'all failed')) as LoggedError;
    assert.equal(logged.errors?.length, 3);
    assert.deepEqual(logged.errors?.[0], {
      name: 'Error',
      message: 'connect ECONNREFUSED 10.0.0.0:443',
      code: 'ECONNREFUSED',
    });
  });

  it('scrubs a thrown string and keeps a plain object to its named facts', () => {
    assert.equal(serializeError(`refused ${SLACK_BOT_TOKEN}`), 'refused [redacted]');
    assert.deepEqual(
      serializeError({
        message: 'nope',
        status: 400,
        url: `/interactions/1/${INTERACTION_TOKEN}/callback?x=1`,
        body: CONTENT,
      }),
      { name: 'Object', message: 'nope', status: 400, path: '/interactions/1/[redacted]/callback' },
    );
  });
});

describe('scrubText', () => {
  it('keeps ids and plain paths, and masks token-shaped segments and parameters', () => {
    assert.equal(
      scrubText('GET https://x.test/videos/video_68d7512d07848190b3e45da0ecbebcde.mp4?sig=1'),
      'GET https://x.test/videos/video_68d7512d07848190b3e45da0ecbebcde.mp4',
    );
    assert.equal(
      scrubText(
        'upload to https://files.slack.com/upload/v1/CwABAAAAXgoAAZnZ8kq2TTyAQ9F3mSp1LkR0cGQ4Lh5Q',
      ),
      'upload to https://files.slack.com/upload/v1/[redacted]',
    );
    assert.equal(
      scrubText('retry sig=abc&X-Amz-Signature=def'),
      'retry sig=[redacted]&X-Amz-Signature=[redacted]',
    );
    assert.equal(scrubText('link https://u:p@host.test/a'), 'link https://host.test/a');
  });
});

describe('the logger with a library error', () => {
  it('writes one short line for a refused upload, with no body, content or token', async () => {
    const error = await refusedUpload();
    const out = capture();
    const logger = createLogger('info', out.stream);
    logger.warn({ taskId: 'sora_1', err: error }, 'delivery failed; retrying later');
    await new Promise((resolve) => setImmediate(resolve));
    const [line, ...rest] = out.lines();
    assert.ok(line);
    assert.equal(rest.length, 0);
    assert.ok(Buffer.byteLength(line) < 8 * 1024, `${Buffer.byteLength(line)} bytes`);
    const parsed = JSON.parse(line) as { err: LoggedError };
    assert.equal(parsed.err.status, 403);
    assert.equal(parsed.err.path, `/api/v10/channels/${CHANNEL}/messages`);
    assertNothingSecret(line);
  });
});
