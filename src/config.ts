/**
 * Every setting of the bot, read from the environment once, checked, typed and frozen.
 *
 * This is the only module that reads `process.env`. Every problem is collected and reported
 * together, each naming its variable, before anything starts. Secret values are never
 * echoed back in a message. Each setting is documented in `.env.example` and the README
 * (a test keeps the three in step).
 */
import path from 'node:path';
import { BadNotifyTarget, notifyPlatformOf, parseNotifyTarget } from './intake/notify-target.ts';
import { LOG_LEVELS, type LogLevel } from './log.ts';
import { type MediaStoreSettings, parseS3Url, type S3Settings } from './media/store-settings.ts';
import { ConfigError, type Env, HOUR_MS, SettingReader } from './setting-reader.ts';

export { ConfigError, LOG_LEVELS, type LogLevel };

export interface Config {
  sora: {
    /** Bearer key for the Sora API. */
    apiKey: string;
    /** Base URL without a trailing slash. */
    baseUrl: string;
    /** Requests per second to the Sora API, for the whole process. */
    maxRps: number;
    /** Time limit for one API request attempt. */
    requestTimeoutMs: number;
    /** Attempts per API request, the first included, before an error is reported. */
    maxAttempts: number;
  };
  video: {
    maxBytes: number;
    /** Allows http:// and loopback/private video links: for tests and the demo only. */
    allowPrivate: boolean;
  };
  /** Where downloads, clips and the default SQLite store live. Absolute. */
  dataDir: string;
  /** Keyv store: sqlite://path, redis://..., postgres://... */
  storeUrl: string;
  /** A watch older than this ends with a message. */
  watchMaxAgeMs: number;
  /** The clip library: where it keeps clips, how long, and how much in all. */
  clips: {
    /** `DATA_DIR/library` unless MEDIA_STORE_URL names another folder or S3-compatible storage. */
    store: MediaStoreSettings;
    retentionMs: number;
    /** The library's size cap in bytes; the oldest clips go first. None when unset. */
    maxBytes?: number;
  };
  /** Present when SLACK_BOT_TOKEN is set. */
  slack?: {
    botToken: string;
    /** HTTP mode: Slack signs every request with it. */
    signingSecret?: string;
    /** Socket Mode (no public URL): the app-level token; used when there is no signing secret. */
    appToken?: string;
    /** Web API base URL override (proxies, GovSlack, tests). */
    apiUrl?: string;
    /**
     * SLACK_VIDEO_BLOCKS=on: a finished clip is posted as a video block playing its share page
     * instead of as an uploaded file. Only with share links (`share`) on an https PUBLIC_URL.
     */
    videoBlocks: boolean;
  };
  /** The HTTP port: Slack's request URL (/slack/events) in HTTP mode. */
  port: number;
  /** Present when DISCORD_TOKEN is set. */
  discord?: {
    token: string;
    applicationId: string;
    /** REST base URL override (a proxy, or tests); the gateway URL follows from it. */
    apiUrl?: string;
    /** Registers commands in this guild only (instant, for development). */
    guildId?: string;
  };
  /** Present when INTAKE_TOKEN is set: other programs may hand the bot tasks over HTTP. */
  intake?: {
    /** Bearer token the intake API asks for. */
    token: string;
    /** Targets ("slack:C0123") notified when a request names none. */
    defaultNotify: readonly string[];
  };
  /** Present when PUBLIC_URL is set: kept clips get share links and pages at /clips/. */
  share?: {
    /** Where people reach the bot, without a trailing slash; share links start with it. */
    publicUrl: string;
    /** Signs the share links (CLIP_LINK_SECRET); a new one takes every link back. */
    linkSecret: string;
  };
  /** Who may make videos, and how much a day. */
  create: {
    /** Everyone, or platform-prefixed user, Slack user group and Discord role ids. */
    allowed: 'everyone' | readonly string[];
    /** Platform-prefixed user ids: may press every button, see everyone's usage, no per-person limits. */
    admins: readonly string[];
    dailyVideos: number;
    dailySeconds?: number;
    botDailySeconds?: number;
  };
  /** How long a stop waits for deliveries in progress before leaving them to the next start. */
  shutdownGraceMs: number;
  logLevel: LogLevel;
}

/** What `sora-status --notify` needs to reach a running bot's intake API. */
export interface IntakeClientConfig {
  /** The bot's base URL, without a trailing slash. */
  url: string;
  token: string;
}

/** The variables this module reads, for documentation checks and error messages. */
export const SETTING_NAMES = [
  'SORA_API_KEY',
  'SORA_API_BASE_URL',
  'SORA_MAX_RPS',
  'SORA_REQUEST_TIMEOUT_MS',
  'SORA_MAX_ATTEMPTS',
  'VIDEO_MAX_BYTES',
  'VIDEO_URL_ALLOW_PRIVATE',
  'DATA_DIR',
  'STORE_URL',
  'WATCH_MAX_AGE',
  'CLIP_RETENTION',
  'CLIP_MAX_BYTES',
  'MEDIA_STORE_URL',
  'AWS_REGION',
  'AWS_ENDPOINT_URL_S3',
  'S3_FORCE_PATH_STYLE',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'SLACK_BOT_TOKEN',
  'SLACK_SIGNING_SECRET',
  'SLACK_APP_TOKEN',
  'SLACK_API_URL',
  'SLACK_VIDEO_BLOCKS',
  'PORT',
  'INTAKE_TOKEN',
  'DEFAULT_NOTIFY',
  'INTAKE_URL',
  'PUBLIC_URL',
  'CLIP_LINK_SECRET',
  'SHUTDOWN_GRACE',
  'ADMIN_USERS',
  'CREATE_ALLOWED',
  'CREATE_DAILY_LIMIT',
  'CREATE_DAILY_SECONDS',
  'CREATE_BOT_DAILY_SECONDS',
  'DISCORD_TOKEN',
  'DISCORD_APPLICATION_ID',
  'DISCORD_API_URL',
  'DISCORD_GUILD_ID',
  'LOG_LEVEL',
] as const;

export const DEFAULT_SORA_API_BASE_URL = 'https://zcbservice.aizfw.cn/kyyReactApiServer';

export function loadConfig(env: Env = process.env): Config {
  const read = new SettingReader(env);
  const dataDir = path.resolve(read.text('DATA_DIR', 'data'));
  const config: Config = {
    sora: {
      apiKey: read.secret(
        'SORA_API_KEY',
        'set it to your Sora API key (see .env.example); without it no task can be checked',
      ),
      baseUrl: read.httpUrl('SORA_API_BASE_URL', DEFAULT_SORA_API_BASE_URL),
      maxRps: read.number('SORA_MAX_RPS', 5, { min: 0.01, max: 1000 }),
      requestTimeoutMs: read.number('SORA_REQUEST_TIMEOUT_MS', 30_000, {
        min: 100,
        max: 600_000,
        integer: true,
      }),
      maxAttempts: read.number('SORA_MAX_ATTEMPTS', 5, { min: 1, max: 20, integer: true }),
    },
    video: {
      maxBytes: read.number('VIDEO_MAX_BYTES', 200 * 1024 * 1024, { min: 1024, integer: true }),
      allowPrivate: read.boolean('VIDEO_URL_ALLOW_PRIVATE', false),
    },
    dataDir,
    storeUrl: read.storeUrl('STORE_URL', `sqlite://${path.join(dataDir, 'sora-bot.sqlite')}`),
    watchMaxAgeMs: read.duration('WATCH_MAX_AGE', 6 * HOUR_MS, { min: 60_000 }),
    clips: readClips(read, dataDir),
    port: read.number('PORT', 3000, { min: 0, max: 65_535, integer: true }),
    create: readCreate(read),
    shutdownGraceMs: read.duration('SHUTDOWN_GRACE', 30_000, { min: 1_000 }),
    logLevel: read.oneOf('LOG_LEVEL', LOG_LEVELS, 'info'),
  };
  const slack = readSlack(read);
  if (slack) config.slack = slack;
  const discord = readDiscord(read);
  if (discord) config.discord = discord;
  const intake = readIntake(read, config);
  if (intake) config.intake = intake;
  const share = readShare(read);
  if (share) config.share = share;
  const videoBlocks = readVideoBlocks(read, config);
  if (config.slack) config.slack.videoBlocks = videoBlocks;
  read.throwIfProblems();
  return deepFreeze(config);
}

/**
 * The settings of `sora-status --notify`, which talks to a running bot and needs neither
 * the Sora key nor a platform's.
 */
export function loadIntakeClientConfig(env: Env = process.env): IntakeClientConfig {
  const read = new SettingReader(env);
  const port = read.number('PORT', 3000, { min: 1, max: 65_535, integer: true });
  const url = read.httpUrl('INTAKE_URL', `http://127.0.0.1:${port}`);
  const token = read.secret(
    'INTAKE_TOKEN',
    "set it to the running bot's INTAKE_TOKEN (and INTAKE_URL to its address)",
  );
  read.throwIfProblems();
  return { url, token };
}

/** The intake API runs when its token is set; DEFAULT_NOTIFY names channels it may use. */
function readIntake(read: SettingReader, config: Config): Config['intake'] {
  const token = read.optional('INTAKE_TOKEN');
  const notifyText = read.optional('DEFAULT_NOTIFY');
  if (token === undefined) {
    if (notifyText !== undefined) {
      read.problem(
        'DEFAULT_NOTIFY is used by the intake API, which runs only with INTAKE_TOKEN set.',
      );
    }
    return undefined;
  }
  if (token.length < 16) {
    read.problem(
      'INTAKE_TOKEN must be at least 16 characters: make it long and random (openssl rand -hex 32).',
    );
  }
  const defaultNotify: string[] = [];
  for (const entry of (notifyText ?? '').split(',').filter((part) => part.trim() !== '')) {
    try {
      const target = parseNotifyTarget(entry);
      if (config[notifyPlatformOf(target)] === undefined) {
        read.problem(
          `DEFAULT_NOTIFY names ${entry.trim()}, but ${notifyPlatformOf(target)} is not configured.`,
        );
      } else if (!defaultNotify.includes(target)) {
        defaultNotify.push(target);
      }
    } catch (error) {
      if (!(error instanceof BadNotifyTarget)) throw error;
      read.problem(`DEFAULT_NOTIFY: ${error.message}.`);
    }
  }
  if (config.slack === undefined && config.discord === undefined) {
    read.problem(
      'INTAKE_TOKEN turns on the intake API, which announces tasks in Slack or Discord channels: configure one of them too, or leave INTAKE_TOKEN unset.',
    );
  }
  return { token, defaultNotify };
}

/** Share links exist when the bot knows its public address and has a secret to sign them. */
function readShare(read: SettingReader): Config['share'] {
  const secretText = read.optional('CLIP_LINK_SECRET');
  if (read.optional('PUBLIC_URL') === undefined) {
    if (secretText !== undefined) {
      read.problem(
        'CLIP_LINK_SECRET signs share links, which exist only with PUBLIC_URL set: set PUBLIC_URL too, or leave CLIP_LINK_SECRET unset.',
      );
    }
    return undefined;
  }
  const publicUrl = read.httpUrl('PUBLIC_URL', 'https://sora-bot.example.com');
  const linkSecret = read.secret(
    'CLIP_LINK_SECRET',
    'it comes with PUBLIC_URL and signs the share links: openssl rand -hex 32',
  );
  if (secretText !== undefined && secretText.length < 32) {
    read.problem(
      'CLIP_LINK_SECRET must be at least 32 characters: make it long and random (openssl rand -hex 32).',
    );
  }
  return { publicUrl, linkSecret };
}

/** The clip library's store, retention (30 days unless set) and optional size cap. */
function readClips(read: SettingReader, dataDir: string): Config['clips'] {
  const clips: Config['clips'] = {
    store: readMediaStore(read, dataDir),
    retentionMs: read.duration('CLIP_RETENTION', 30 * 24 * HOUR_MS, { min: 60_000 }),
  };
  if (read.optional('CLIP_MAX_BYTES') !== undefined) {
    clips.maxBytes = read.number('CLIP_MAX_BYTES', 0, { min: 1024 * 1024, integer: true });
  }
  return clips;
}

/** A folder under DATA_DIR, another folder (`file:///srv/clips`), or a bucket (`s3://bucket/prefix`). */
function readMediaStore(read: SettingReader, dataDir: string): MediaStoreSettings {
  const url = read.optional('MEDIA_STORE_URL')?.trim();
  // Not DATA_DIR/clips: the terminal chat saves its own copies there.
  const folder: MediaStoreSettings = { kind: 'folder', dir: path.join(dataDir, 'library') };
  if (url === undefined || url === '') return folder;
  if (url.startsWith('file://')) {
    try {
      return { kind: 'folder', dir: path.resolve(new URL(url).pathname) };
    } catch {
      // Reported below.
    }
  }
  const location = parseS3Url(url);
  if (location === undefined) {
    read.problem(
      'MEDIA_STORE_URL must be s3://bucket/prefix (S3-compatible storage) or file:///path (a folder); leave it unset for DATA_DIR/library.',
    );
    return folder;
  }
  return { kind: 's3', location, s3: readS3(read) };
}

/** The S3 client's settings: the usual AWS variables, and an endpoint for MinIO, R2 and the like. */
function readS3(read: SettingReader): S3Settings {
  const endpoint =
    read.optional('AWS_ENDPOINT_URL_S3') === undefined
      ? undefined
      : read.httpUrl('AWS_ENDPOINT_URL_S3', 'http://minio:9000');
  const s3: S3Settings = {
    region: read.text('AWS_REGION', 'us-east-1'),
    // Other services than AWS mostly want the bucket in the path.
    forcePathStyle: read.boolean('S3_FORCE_PATH_STYLE', endpoint !== undefined),
    ...(endpoint !== undefined ? { endpoint } : {}),
  };
  const accessKeyId = read.optional('AWS_ACCESS_KEY_ID');
  const secretAccessKey = read.optional('AWS_SECRET_ACCESS_KEY');
  if ((accessKeyId === undefined) !== (secretAccessKey === undefined)) {
    read.problem(
      "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY go together: set both, or neither to use the machine's own AWS credentials.",
    );
  } else if (accessKeyId !== undefined && secretAccessKey !== undefined) {
    const sessionToken = read.optional('AWS_SESSION_TOKEN');
    s3.credentials = {
      accessKeyId,
      secretAccessKey,
      ...(sessionToken !== undefined ? { sessionToken } : {}),
    };
  }
  return s3;
}

/** A platform-prefixed id: "slack:U0123ABC", "slack:S0123ABC" (a user group), "discord:1234…". */
const PLATFORM_ID = /^(slack|discord|shell):[A-Za-z0-9_.-]{1,64}$/;

/** Who may create (`CREATE_ALLOWED`), the admins, and the daily limits. */
function readCreate(read: SettingReader): Config['create'] {
  const admins = readIdList(read, 'ADMIN_USERS');
  const allowedText = read.optional('CREATE_ALLOWED')?.trim();
  const allowed =
    allowedText === undefined || allowedText.toLowerCase() === 'everyone'
      ? 'everyone'
      : readIdList(read, 'CREATE_ALLOWED');
  const create: Config['create'] = {
    allowed,
    admins,
    dailyVideos: read.number('CREATE_DAILY_LIMIT', 10, { min: 0, max: 100_000, integer: true }),
  };
  for (const [name, field] of [
    ['CREATE_DAILY_SECONDS', 'dailySeconds'],
    ['CREATE_BOT_DAILY_SECONDS', 'botDailySeconds'],
  ] as const) {
    if (read.optional(name) !== undefined) {
      create[field] = read.number(name, 0, { min: 0, max: 10_000_000, integer: true });
    }
  }
  return create;
}

/** A comma-separated list of platform-prefixed ids; each wrong entry is named. */
function readIdList(read: SettingReader, name: string): string[] {
  const ids: string[] = [];
  for (const entry of (read.optional(name) ?? '').split(',')) {
    const id = entry.trim();
    if (id === '') continue;
    if (!PLATFORM_ID.test(id)) {
      read.problem(
        `${name}: "${id.slice(0, 40)}" is not a platform-prefixed id like slack:U0123ABC, slack:S0123ABC (a user group) or discord:123456789012345678.`,
      );
    } else if (!ids.includes(id)) {
      ids.push(id);
    }
  }
  return ids;
}

/** Slack runs when its bot token is set, in HTTP mode (signing secret) or Socket Mode. */
function readSlack(read: SettingReader): Config['slack'] {
  const botToken = read.optional('SLACK_BOT_TOKEN');
  if (botToken === undefined) return undefined;
  const slack: NonNullable<Config['slack']> = { botToken, videoBlocks: false };
  const signingSecret = read.optional('SLACK_SIGNING_SECRET');
  const appToken = read.optional('SLACK_APP_TOKEN');
  if (signingSecret !== undefined) slack.signingSecret = signingSecret;
  if (appToken !== undefined) slack.appToken = appToken;
  if (signingSecret === undefined && appToken === undefined) {
    read.problem(
      'SLACK_SIGNING_SECRET (HTTP mode) or SLACK_APP_TOKEN (Socket Mode) must come with SLACK_BOT_TOKEN: copy it from your Slack app (Basic Information).',
    );
  }
  const apiUrl = read.optional('SLACK_API_URL');
  if (apiUrl !== undefined) slack.apiUrl = read.httpUrl('SLACK_API_URL', apiUrl);
  return slack;
}

/**
 * SLACK_VIDEO_BLOCKS, `on` or `off` (the default). A video block plays the clip's share page
 * inside Slack, so `on` needs Slack, the share pages (PUBLIC_URL with CLIP_LINK_SECRET) and
 * an https address: Slack embeds no other.
 */
function readVideoBlocks(read: SettingReader, config: Config): boolean {
  if (read.oneOf('SLACK_VIDEO_BLOCKS', ['on', 'off'], 'off') === 'off') return false;
  if (config.slack === undefined) {
    read.problem(
      'SLACK_VIDEO_BLOCKS=on changes how Slack posts clips, but Slack is not configured: set SLACK_BOT_TOKEN too, or leave SLACK_VIDEO_BLOCKS unset.',
    );
    return false;
  }
  if (
    read.optional('PUBLIC_URL') === undefined ||
    read.optional('CLIP_LINK_SECRET') === undefined
  ) {
    read.problem(
      'SLACK_VIDEO_BLOCKS=on plays each clip from its share page, which needs PUBLIC_URL and CLIP_LINK_SECRET: set both, or set SLACK_VIDEO_BLOCKS=off.',
    );
    return false;
  }
  const publicUrl = config.share?.publicUrl;
  if (publicUrl !== undefined && URL.parse(publicUrl)?.protocol !== 'https:') {
    read.problem(
      'SLACK_VIDEO_BLOCKS=on needs an https:// PUBLIC_URL: Slack plays no page served over plain http.',
    );
    return false;
  }
  return true;
}

/** Discord runs when its token is set; the application id must come with it. */
function readDiscord(read: SettingReader): Config['discord'] {
  const token = read.optional('DISCORD_TOKEN');
  if (token === undefined) return undefined;
  const discord: NonNullable<Config['discord']> = {
    token,
    applicationId: read.secret(
      'DISCORD_APPLICATION_ID',
      'it comes with DISCORD_TOKEN: copy it from the Discord developer portal (General Information)',
    ),
  };
  const apiUrl = read.optional('DISCORD_API_URL');
  if (apiUrl !== undefined) discord.apiUrl = read.httpUrl('DISCORD_API_URL', apiUrl);
  const guildId = read.optional('DISCORD_GUILD_ID');
  if (guildId !== undefined) {
    if (/^\d{17,20}$/.test(guildId)) discord.guildId = guildId;
    else read.problem('DISCORD_GUILD_ID must be a server id: 17 to 20 digits.');
  }
  return discord;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
