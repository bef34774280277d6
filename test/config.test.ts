import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { COMMAND_NAMES } from '../src/chat/commands.ts';
import {
  ConfigError,
  DEFAULT_SORA_API_BASE_URL,
  loadConfig,
  loadIntakeClientConfig,
  SETTING_NAMES,
} from '../src/config.ts';

const root = path.join(import.meta.dirname, '..');

describe('loadConfig', () => {
  it('fills every default from a key alone, and freezes the result', () => {
    const config = loadConfig({ SORA_API_KEY: 'sk-1' });
    assert.equal(config.sora.apiKey, 'sk-1');
    assert.equal(config.sora.baseUrl, DEFAULT_SORA_API_BASE_URL);
    assert.equal(config.sora.maxRps, 5);
    assert.equal(config.video.maxBytes, 200 * 1024 * 1024);
    assert.equal(config.video.allowPrivate, false);
    assert.equal(config.dataDir, path.resolve('data'));
    assert.equal(config.logLevel, 'info');
    assert.equal(config.storeUrl, `sqlite://${path.resolve('data', 'sora-bot.sqlite')}`);
    assert.equal(config.watchMaxAgeMs, 6 * 3_600_000);
    assert.deepEqual(config.clips, {
      store: { kind: 'folder', dir: path.resolve('data', 'library') },
      retentionMs: 30 * 24 * 3_600_000,
    });
    assert.ok(Object.isFrozen(config) && Object.isFrozen(config.sora));
  });

  it('reads every setting', () => {
    const config = loadConfig({
      SORA_API_KEY: 'sk-2',
      SORA_API_BASE_URL: 'http://127.0.0.1:9999/base/',
      SORA_MAX_RPS: '0.5',
      SORA_REQUEST_TIMEOUT_MS: '1500',
      SORA_MAX_ATTEMPTS: '2',
      VIDEO_MAX_BYTES: '1048576',
      VIDEO_URL_ALLOW_PRIVATE: 'yes',
      DATA_DIR: '/tmp/sora-data',
      STORE_URL: 'redis://:pw@127.0.0.1:6379/2',
      WATCH_MAX_AGE: '90m',
      CLIP_RETENTION: '7d',
      CLIP_MAX_BYTES: '10485760',
      LOG_LEVEL: 'debug',
    });
    assert.deepEqual(config.clips, {
      store: { kind: 'folder', dir: '/tmp/sora-data/library' },
      retentionMs: 7 * 24 * 3_600_000,
      maxBytes: 10485760,
    });
    assert.equal(config.storeUrl, 'redis://:pw@127.0.0.1:6379/2');
    assert.equal(config.watchMaxAgeMs, 90 * 60_000);
    assert.equal(config.sora.baseUrl, 'http://127.0.0.1:9999/base');
    assert.equal(config.sora.maxRps, 0.5);
    assert.equal(config.sora.requestTimeoutMs, 1500);
    assert.equal(config.sora.maxAttempts, 2);
    assert.equal(config.video.maxBytes, 1048576);
    assert.equal(config.video.allowPrivate, true);
    assert.equal(config.dataDir, '/tmp/sora-data');
    assert.equal(config.logLevel, 'debug');
  });

  it('reports every problem at once, each naming its variable', () => {
    const error = (() => {
      try {
        loadConfig({
          SORA_API_BASE_URL: 'ftp://x',
          SORA_MAX_RPS: 'fast',
          SORA_MAX_ATTEMPTS: '2.5',
          VIDEO_URL_ALLOW_PRIVATE: 'maybe',
          STORE_URL: 'mysql://x',
          WATCH_MAX_AGE: '6',
          CLIP_RETENTION: 'a month',
          CLIP_MAX_BYTES: '-1',
          LOG_LEVEL: 'loud',
        });
      } catch (e) {
        return e;
      }
    })();
    assert.ok(error instanceof ConfigError);
    const named = [
      'SORA_API_KEY',
      'SORA_API_BASE_URL',
      'SORA_MAX_RPS',
      'SORA_MAX_ATTEMPTS',
      'VIDEO_URL_ALLOW_PRIVATE',
      'STORE_URL',
      'WATCH_MAX_AGE',
      'CLIP_RETENTION',
      'CLIP_MAX_BYTES',
      'LOG_LEVEL',
    ];
    assert.equal(error.problems.length, named.length);
    for (const [i, name] of named.entries())
      assert.match(error.problems[i] ?? '', new RegExp(`^${name} `));
  });

  it('keeps clips in a folder, or in S3-compatible storage named by MEDIA_STORE_URL', () => {
    const folder = loadConfig({ SORA_API_KEY: 'k', MEDIA_STORE_URL: 'file:///srv/clips' });
    assert.deepEqual(folder.clips.store, { kind: 'folder', dir: '/srv/clips' });

    const minio = loadConfig({
      SORA_API_KEY: 'k',
      MEDIA_STORE_URL: 's3://team-clips/sora/prod/',
      AWS_ENDPOINT_URL_S3: 'http://minio:9000/',
      AWS_ACCESS_KEY_ID: 'minio',
      AWS_SECRET_ACCESS_KEY: 'minio-secret',
    });
    assert.deepEqual(minio.clips.store, {
      kind: 's3',
      location: { bucket: 'team-clips', prefix: 'sora/prod/' },
      s3: {
        endpoint: 'http://minio:9000',
        region: 'us-east-1',
        forcePathStyle: true,
        credentials: { accessKeyId: 'minio', secretAccessKey: 'minio-secret' },
      },
    });

    // On AWS itself: the region given, virtual-hosted buckets, the machine's own credentials.
    const aws = loadConfig({
      SORA_API_KEY: 'k',
      MEDIA_STORE_URL: 's3://team-clips',
      AWS_REGION: 'eu-west-1',
    });
    assert.deepEqual(aws.clips.store, {
      kind: 's3',
      location: { bucket: 'team-clips', prefix: '' },
      s3: { region: 'eu-west-1', forcePathStyle: false },
    });
  });

  it('names what is wrong with the media store settings, never echoing a secret', () => {
    const problems = (env: Record<string, string>) => {
      try {
        loadConfig({ SORA_API_KEY: 'k', ...env });
        return [];
      } catch (error) {
        assert.ok(error instanceof ConfigError);
        return error.problems;
      }
    };
    const [badUrl] = problems({ MEDIA_STORE_URL: 'ftp://clips' });
    assert.match(badUrl ?? '', /^MEDIA_STORE_URL must be s3:\/\/bucket\/prefix/);
    const [halfKeys] = problems({
      MEDIA_STORE_URL: 's3://team-clips',
      AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI-secret',
    });
    assert.match(halfKeys ?? '', /^AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY go together/);
    assert.doesNotMatch(halfKeys ?? '', /wJalr/);
    const [badEndpoint] = problems({
      MEDIA_STORE_URL: 's3://team-clips',
      AWS_ENDPOINT_URL_S3: 'minio:9000',
      S3_FORCE_PATH_STYLE: 'yes',
    });
    assert.match(badEndpoint ?? '', /^AWS_ENDPOINT_URL_S3 must be an http\(s\) URL/);
  });

  it('turns a chat platform on by its token, and asks for what must come with it', () => {
    const none = loadConfig({ SORA_API_KEY: 'k' });
    assert.equal(none.slack, undefined);
    assert.equal(none.discord, undefined);
    const both = loadConfig({
      SORA_API_KEY: 'k',
      SLACK_BOT_TOKEN: 'xoxb-1',
      SLACK_SIGNING_SECRET: 'secret',
      DISCORD_TOKEN: 'd-token',
      DISCORD_APPLICATION_ID: '100000000000000001',
      PORT: '8080',
    });
    assert.deepEqual(both.slack, {
      botToken: 'xoxb-1',
      signingSecret: 'secret',
      videoBlocks: false,
    });
    assert.equal(both.discord?.applicationId, '100000000000000001');
    assert.equal(both.port, 8080);
    const error = (() => {
      try {
        loadConfig({
          SORA_API_KEY: 'k',
          SLACK_BOT_TOKEN: 'xoxb-1',
          DISCORD_TOKEN: 'd',
          DISCORD_GUILD_ID: 'x',
        });
      } catch (e) {
        return e;
      }
    })();
    assert.ok(error instanceof ConfigError);
    assert.equal(error.problems.length, 3);
    assert.match(error.problems[0] ?? '', /^SLACK_SIGNING_SECRET \(HTTP mode\) or SLACK_APP_TOKEN/);
    assert.match(error.problems[1] ?? '', /^DISCORD_APPLICATION_ID is not set/);
    assert.match(error.problems[2] ?? '', /^DISCORD_GUILD_ID must be a server id/);
  });

  it('turns the intake on by its token, with checked default channels and a stop grace', () => {
    const config = loadConfig({
      SORA_API_KEY: 'k',
      SLACK_BOT_TOKEN: 'xoxb-1',
      SLACK_APP_TOKEN: 'xapp-1',
      INTAKE_TOKEN: 'intake-token-0123456789',
      DEFAULT_NOTIFY: ' slack:C0123ABCD , slack:C0123ABCD,',
      SHUTDOWN_GRACE: '45s',
    });
    assert.deepEqual(config.intake, {
      token: 'intake-token-0123456789',
      defaultNotify: ['slack:C0123ABCD'],
    });
    assert.equal(config.shutdownGraceMs, 45_000);
    assert.equal(loadConfig({ SORA_API_KEY: 'k' }).intake, undefined);
    assert.equal(loadConfig({ SORA_API_KEY: 'k' }).shutdownGraceMs, 30_000);

    const problems = (env: Record<string, string>) => {
      try {
        loadConfig({ SORA_API_KEY: 'k', ...env });
      } catch (error) {
        assert.ok(error instanceof ConfigError);
        return error.problems;
      }
      return [];
    };
    assert.match(
      problems({ DEFAULT_NOTIFY: 'slack:C0123ABCD' })[0] ?? '',
      /^DEFAULT_NOTIFY .*INTAKE_TOKEN/,
    );
    const bad = problems({
      INTAKE_TOKEN: 'short',
      DEFAULT_NOTIFY: 'teams:42,slack:#general,discord:123456789',
    });
    assert.equal(bad.length, 5);
    assert.match(bad[0] ?? '', /^INTAKE_TOKEN must be at least 16 characters/);
    assert.match(bad[1] ?? '', /^DEFAULT_NOTIFY: "teams:42" names no known platform/);
    assert.match(bad[2] ?? '', /^DEFAULT_NOTIFY: "slack:#general" is not a channel/);
    assert.match(
      bad[3] ?? '',
      /^DEFAULT_NOTIFY names discord:123456789, but discord is not configured/,
    );
    assert.match(bad[4] ?? '', /^INTAKE_TOKEN turns on the intake API.*configure one of them/);
    assert.ok(!bad.join('\n').includes('short'), 'the token is never echoed');
  });

  it('turns share links on by PUBLIC_URL, with a long CLIP_LINK_SECRET required', () => {
    const secret = 'x'.repeat(32);
    const config = loadConfig({
      SORA_API_KEY: 'k',
      PUBLIC_URL: 'https://bot.example.com/',
      CLIP_LINK_SECRET: secret,
    });
    assert.deepEqual(config.share, { publicUrl: 'https://bot.example.com', linkSecret: secret });
    assert.equal(loadConfig({ SORA_API_KEY: 'k' }).share, undefined);

    const problems = (env: Record<string, string>) => {
      try {
        loadConfig({ SORA_API_KEY: 'k', ...env });
      } catch (error) {
        assert.ok(error instanceof ConfigError);
        return error.problems;
      }
      return [];
    };
    assert.match(
      problems({ PUBLIC_URL: 'https://bot.example.com' })[0] ?? '',
      /^CLIP_LINK_SECRET is not set: it comes with PUBLIC_URL/,
    );
    const short = problems({
      PUBLIC_URL: 'https://bot.example.com',
      CLIP_LINK_SECRET: 'short-one',
    });
    assert.match(short[0] ?? '', /^CLIP_LINK_SECRET must be at least 32 characters/);
    assert.ok(!short.join('\n').includes('short-one'), 'the secret is never echoed');
    assert.match(
      problems({ PUBLIC_URL: 'bot.example.com', CLIP_LINK_SECRET: secret })[0] ?? '',
      /^PUBLIC_URL must be an http\(s\) URL/,
    );
    assert.match(problems({ CLIP_LINK_SECRET: secret })[0] ?? '', /^CLIP_LINK_SECRET .*PUBLIC_URL/);
  });

  it('turns Slack video blocks on only with Slack and https share pages', () => {
    const secret = 'x'.repeat(32);
    const slack = { SORA_API_KEY: 'k', SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1' };
    const share = { PUBLIC_URL: 'https://bot.example.com', CLIP_LINK_SECRET: secret };
    assert.equal(loadConfig({ ...slack, ...share }).slack?.videoBlocks, false, 'off by default');
    assert.equal(
      loadConfig({ ...slack, ...share, SLACK_VIDEO_BLOCKS: 'on' }).slack?.videoBlocks,
      true,
    );
    assert.equal(loadConfig({ ...slack, SLACK_VIDEO_BLOCKS: 'off' }).slack?.videoBlocks, false);

    const problems = (env: Record<string, string>) => {
      try {
        loadConfig(env);
      } catch (error) {
        assert.ok(error instanceof ConfigError);
        return error.problems;
      }
      return [];
    };
    assert.deepEqual(problems({ ...slack, ...share, SLACK_VIDEO_BLOCKS: 'yes' }), [
      'SLACK_VIDEO_BLOCKS must be one of on, off (got "yes").',
    ]);
    assert.deepEqual(problems({ ...slack, SLACK_VIDEO_BLOCKS: 'on' }), [
      'SLACK_VIDEO_BLOCKS=on plays each clip from its share page, which needs PUBLIC_URL and CLIP_LINK_SECRET: set both, or set SLACK_VIDEO_BLOCKS=off.',
    ]);
    // Without the secret, its own problem is said too.
    const noSecret = problems({
      ...slack,
      PUBLIC_URL: 'https://bot.example.com',
      SLACK_VIDEO_BLOCKS: 'on',
    });
    assert.equal(noSecret.length, 2);
    assert.match(noSecret[0] ?? '', /^CLIP_LINK_SECRET is not set/);
    assert.match(noSecret[1] ?? '', /^SLACK_VIDEO_BLOCKS=on .*PUBLIC_URL and CLIP_LINK_SECRET/);
    assert.deepEqual(
      problems({
        ...slack,
        PUBLIC_URL: 'http://bot.example.com',
        CLIP_LINK_SECRET: secret,
        SLACK_VIDEO_BLOCKS: 'on',
      }),
      [
        'SLACK_VIDEO_BLOCKS=on needs an https:// PUBLIC_URL: Slack plays no page served over plain http.',
      ],
    );
    assert.match(
      problems({ SORA_API_KEY: 'k', ...share, SLACK_VIDEO_BLOCKS: 'on' })[0] ?? '',
      /^SLACK_VIDEO_BLOCKS=on .*Slack is not configured: set SLACK_BOT_TOKEN/,
    );
  });

  it('gives sora-status --notify the intake address from PORT, and asks for the token', () => {
    assert.deepEqual(loadIntakeClientConfig({ INTAKE_TOKEN: 't', PORT: '8080' }), {
      url: 'http://127.0.0.1:8080',
      token: 't',
    });
    assert.equal(
      loadIntakeClientConfig({ INTAKE_TOKEN: 't', INTAKE_URL: 'https://bot.example.com/' }).url,
      'https://bot.example.com',
    );
    assert.throws(() => loadIntakeClientConfig({}), /INTAKE_TOKEN is not set/);
  });

  it('never echoes the API key', () => {
    // A key is only ever reported as missing; nothing about its value is checked or shown.
    const error = (() => {
      try {
        loadConfig({
          SORA_API_KEY: 'sk-secret-value',
          SORA_MAX_RPS: '-1',
          STORE_URL: 'mysql://user:db-password@host/db',
        });
      } catch (e) {
        return e as Error;
      }
    })();
    assert.ok(error);
    assert.doesNotMatch(error.message, /sk-secret-value|db-password/);
  });

  it('has a Slack app manifest declaring the commands and the scopes the adapter uses', () => {
    const manifest = readFileSync(path.join(root, 'slack-manifest.yml'), 'utf8');
    for (const command of [...COMMAND_NAMES, 'sora-create'].map((name) => `/${name}`)) {
      assert.match(manifest, new RegExp(`command: ${command}$`, 'm'));
    }
    for (const scope of [
      'commands',
      'chat:write',
      'chat:write.public',
      'files:write',
      'channels:join',
      'usergroups:read',
    ]) {
      assert.match(manifest, new RegExp(`^\\s+- ${scope}$`, 'm'));
    }
    assert.match(manifest, /url: https:\/\/YOUR-HOST\/slack\/events/);
    // What SLACK_VIDEO_BLOCKS=on needs, ready to turn on.
    assert.match(manifest, /^\s+# - links\.embed:write$/m);
    assert.match(manifest, /^\s+# unfurl_domains:\n\s+# {3}- YOUR-HOST$/m);
    // The /sora-create form's submissions and the card buttons' presses arrive as interactions.
    assert.match(
      manifest,
      /interactivity:\n\s+is_enabled: true\n\s+request_url: https:\/\/YOUR-HOST\/slack\/events/,
    );
  });

  it('reads who may make videos and the daily limits, naming each wrong entry', () => {
    const defaults = loadConfig({ SORA_API_KEY: 'k' }).create;
    assert.deepEqual(defaults, { allowed: 'everyone', admins: [], dailyVideos: 10 });
    const set = loadConfig({
      SORA_API_KEY: 'k',
      ADMIN_USERS: 'slack:U0ADMIN, discord:123456789012345678,slack:U0ADMIN',
      CREATE_ALLOWED: 'slack:U0123,slack:S0DESIGN,discord:987654321098765432',
      CREATE_DAILY_LIMIT: '3',
      CREATE_DAILY_SECONDS: '60',
      CREATE_BOT_DAILY_SECONDS: '600',
    }).create;
    assert.deepEqual(set, {
      allowed: ['slack:U0123', 'slack:S0DESIGN', 'discord:987654321098765432'],
      admins: ['slack:U0ADMIN', 'discord:123456789012345678'],
      dailyVideos: 3,
      dailySeconds: 60,
      botDailySeconds: 600,
    });
    assert.equal(
      loadConfig({ SORA_API_KEY: 'k', CREATE_ALLOWED: 'Everyone' }).create.allowed,
      'everyone',
    );
    assert.throws(
      () =>
        loadConfig({
          SORA_API_KEY: 'k',
          ADMIN_USERS: 'U0123',
          CREATE_ALLOWED: 'teams:x y',
          CREATE_DAILY_LIMIT: '-1',
          CREATE_BOT_DAILY_SECONDS: 'lots',
        }),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.match(
          error.problems[0] ?? '',
          /^ADMIN_USERS: "U0123" is not a platform-prefixed id/,
        );
        assert.match(error.problems[1] ?? '', /^CREATE_ALLOWED: "teams:x y" is not/);
        assert.match(error.problems[2] ?? '', /CREATE_DAILY_LIMIT/);
        assert.match(error.problems[3] ?? '', /CREATE_BOT_DAILY_SECONDS/);
        return true;
      },
    );
  });

  it('is documented, every setting, in .env.example and the README', () => {
    const example = readFileSync(path.join(root, '.env.example'), 'utf8');
    const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
    for (const name of SETTING_NAMES) {
      assert.match(example, new RegExp(`^${name}=`, 'm'), `${name} in .env.example`);
      assert.match(readme, new RegExp(`\\| \`${name}\` +\\|`), `${name} in the README table`);
    }
    const exampleNames = [...example.matchAll(/^([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]);
    assert.deepEqual(exampleNames.sort(), [...SETTING_NAMES].sort());
  });
});
