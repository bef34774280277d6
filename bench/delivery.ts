/**
 * `npm run bench:delivery`: the bot's memory while it delivers a big clip. A real bot
 * process (`node src/main.ts`) per path, against the fake Sora API, a CDN serving a clip
 * generated on disk, the fake Slack (keeping only a hash of the bytes), the fake Discord and an
 * S3-compatible server (s3rver) for the clip library's object storage, all on loopback in
 * this process.
 *
 * For each path the bot first delivers a 1 MiB clip the same way (so code loaded on first
 * use and the heap's first growth are not counted), then idles; then it samples the bot's
 * RSS (/proc/<pid>/status) every 20 ms: before the command (the baseline of this run), the
 * peak from the command until the watch ends (the download to disk included), and the
 * growth between them, also as a ratio to the baseline. Target: growth ≤ 64 MiB on every path. `--json` adds one JSON object on the
 * last line.
 *
 * Options: --mib N (clip size, default 200), --discord-mib N (the clip Discord uploads at
 * its tier 3 limit, default 100; a clip above the limit is announced as a link).
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { startFakeDiscord } from '../test/fakes/discord.ts';
import { sendSlashCommand, startFakeSlackApi } from '../test/fakes/slack-api.ts';
import { startFakeSoraApi } from '../test/fakes/sora-api.ts';
import { BotProcess } from '../test/support/bot-process.ts';
import { startS3Server } from '../test/support/s3-server.ts';
import { waitFor } from '../test/support/wait-for.ts';
import { startClipServer, writeClip } from './clip-server.ts';

const { values } = parseArgs({
  options: {
    mib: { type: 'string', default: '200' },
    'discord-mib': { type: 'string', default: '100' },
    json: { type: 'boolean', default: false },
  },
});
const MiB = 1024 * 1024;
const CLIP_MIB = Number(values.mib);
const DISCORD_MIB = Number(values['discord-mib']);
const TARGET_GROWTH_MIB = 64;
const SECRETS = { sora: 'bench-sora', slackBot: 'xoxb-bench', slackSigning: 'bench-signing' };
const DISCORD = { app: '100000000000000001', token: 'bench-discord' };
const GUILD = '300000000000000003';
const DISCORD_CHANNEL = '200000000000000002';

const dir = await mkdtemp(path.join(tmpdir(), 'sora-bench-delivery-'));
const bigClip = path.join(dir, 'big.mp4');
const limitClip = path.join(dir, 'limit.mp4');
const warmClip = path.join(dir, 'warm.mp4');
await writeClip(bigClip, CLIP_MIB * MiB);
await writeClip(limitClip, DISCORD_MIB * MiB);
await writeClip(warmClip, MiB);
const cdn = await startClipServer({ big: bigClip, limit: limitClip, warm: warmClip });
const api = await startFakeSoraApi({ apiKey: SECRETS.sora, videoBaseUrl: cdn.baseUrl });
const slack = await startFakeSlackApi({ botToken: SECRETS.slackBot, keepBytes: false });
const s3 = await startS3Server();
const discord = await startFakeDiscord({
  applicationId: DISCORD.app,
  guilds: [{ id: GUILD, premiumTier: 3, channelIds: [DISCORD_CHANNEL] }],
});

type Platform = 'slack' | 'discord' | 'terminal';

function env(platform: Platform, dataDir: string, port: number): Record<string, string> {
  return {
    PORT: String(port),
    SORA_API_KEY: SECRETS.sora,
    SORA_API_BASE_URL: api.baseUrl,
    VIDEO_URL_ALLOW_PRIVATE: 'true',
    VIDEO_MAX_BYTES: String((CLIP_MIB + 16) * MiB),
    DATA_DIR: dataDir,
    LOG_LEVEL: 'info',
    ...(platform === 'slack'
      ? {
          SLACK_BOT_TOKEN: SECRETS.slackBot,
          SLACK_SIGNING_SECRET: SECRETS.slackSigning,
          SLACK_API_URL: slack.apiUrl,
        }
      : {}),
    ...(platform === 'discord'
      ? {
          DISCORD_TOKEN: DISCORD.token,
          DISCORD_APPLICATION_ID: DISCORD.app,
          DISCORD_API_URL: discord.apiUrl,
        }
      : {}),
  };
}

/** The bot's resident set (bytes), from the kernel's own count. */
function rssOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
}

interface Row {
  path: string;
  clipMiB: number;
  delivered: string;
  beforeMiB: number;
  peakMiB: number;
  growthMiB: number;
  peakRatioToBefore: number;
  seconds: number;
}

/** Each bot by its port: the terminal chat's commands go to its stdin. */
const botOf = new Map<number, BotProcess>();
let taskCounter = 0;
let port = 39_400 + Math.floor(Math.random() * 1000);

/**
 * One bot on `platform`: idle a moment (the baseline), ask for `clips` tasks at once, sample
 * RSS until every watch has finished.
 */
async function measure(
  name: string,
  platform: Platform,
  clip: 'big' | 'limit',
  clips = 1,
  moreEnv: Record<string, string> = {},
): Promise<Row> {
  const dataDir = path.join(dir, `data-${name.replaceAll(/\W+/g, '-')}`);
  port += 1;
  const bot = new BotProcess({ ...env(platform, dataDir, port), ...moreEnv });
  botOf.set(port, bot);
  const logs = () => bot.stdout + bot.stderr;
  try {
    await waitFor(() => /bot started/.test(logs()), `the bot\n${logs()}`, 30_000);
    await deliver(platform, 'warm', 1, logs);
    await sleep(1500);
    const pid = bot.child.pid as number;
    const before = rssOf(pid);
    let peak = before;
    const sampler = setInterval(() => {
      peak = Math.max(peak, rssOf(pid));
    }, 20);
    const started = performance.now();
    const ids = await deliver(platform, clip, clips, logs);
    clearInterval(sampler);
    peak = Math.max(peak, rssOf(pid));
    const seconds = (performance.now() - started) / 1000;
    return {
      path: name,
      clipMiB: clip === 'big' ? CLIP_MIB : DISCORD_MIB,
      delivered: deliveredAs(platform, ids),
      beforeMiB: round(before / MiB),
      peakMiB: round(peak / MiB),
      growthMiB: round((peak - before) / MiB),
      peakRatioToBefore: round(peak / before),
      seconds: round(seconds),
    };
  } finally {
    await bot.kill('SIGTERM');
  }
}

/** Asks for `clips` tasks of `clip` at once; resolves when the bot has finished them all. */
async function deliver(
  platform: Platform,
  clip: string,
  clips: number,
  logs: () => string,
): Promise<string[]> {
  const done = logs().split('"msg":"watch finished"').length - 1;
  const ids: string[] = [];
  for (let i = 0; i < clips; i += 1) {
    const id = `sora_bench_${clip}_${++taskCounter}`;
    ids.push(id);
    api.addTask({
      id,
      created: Math.floor(Date.now() / 1000) - 300,
      videoUrl: `${cdn.baseUrl}/videos/${clip}.mp4?task=${id}`,
    });
  }
  await Promise.all(ids.map((id, i) => ask(platform, port, id, i)));
  const finished = () => logs().split('"msg":"watch finished"').length - 1 >= done + clips;
  await waitFor(finished, `every watch to finish\n${logs()}`, 600_000);
  return ids;
}

async function ask(platform: Platform, botPort: number, id: string, i: number): Promise<void> {
  if (platform === 'slack') {
    await sendSlashCommand({
      url: `http://127.0.0.1:${botPort}/slack/events`,
      signingSecret: SECRETS.slackSigning,
      command: '/sora-status',
      text: id,
      channelId: `C0BENCH${i}`,
      userId: 'U0BENCH',
      responseUrl: slack.responseUrl(),
    });
  } else if (platform === 'discord') {
    discord.sendSlashCommand({
      name: 'sora-status',
      options: { id },
      channelId: DISCORD_CHANNEL,
      userId: '400000000000000005',
      guildId: GUILD,
    });
  } else {
    // The terminal chat is the bot's stdin.
    botOf.get(botPort)?.send(`/sora-status ${id}`);
  }
}

/** What reached the place: a shared file, an attachment, a link, or a copy on disk. */
function deliveredAs(platform: Platform, ids: string[]): string {
  if (platform === 'slack') {
    const files = slack.files.filter((f) => ids.some((id) => f.filename === `${id}.mp4`));
    const shared = files.filter((f) => f.shares.length > 0);
    return `${shared.length} file(s) shared, ${shared.map((f) => round(f.size / MiB)).join('+')} MiB`;
  }
  if (platform === 'discord') {
    const messages = discord
      .messagesIn(DISCORD_CHANNEL)
      .filter((m) => ids.some((id) => m.content.includes(id)));
    const attached = messages.filter((m) => m.attachments.length > 0).length;
    return attached > 0 ? `${attached} attachment(s)` : 'link (over the upload limit)';
  }
  return 'copied to the clips folder';
}

const round = (n: number) => Math.round(n * 100) / 100;

const rows: Row[] = [];
try {
  rows.push(await measure('slack', 'slack', 'big'));
  rows.push(await measure('slack, two at once', 'slack', 'big', 2));
  rows.push(await measure('discord (link)', 'discord', 'big'));
  rows.push(await measure('discord (upload, tier 3)', 'discord', 'limit'));
  rows.push(await measure('terminal chat', 'terminal', 'big'));
  // The same, with the clip library in S3-compatible storage: the clip also goes up there.
  rows.push(
    await measure('terminal chat, library in S3', 'terminal', 'big', 1, {
      MEDIA_STORE_URL: `s3://${s3.bucket}/bench/`,
      AWS_ENDPOINT_URL_S3: s3.endpoint,
      AWS_ACCESS_KEY_ID: 'S3RVER',
      AWS_SECRET_ACCESS_KEY: 'S3RVER',
    }),
  );
} finally {
  await Promise.all([api.close(), cdn.close(), slack.close(), discord.close(), s3.stop()]);
  await rm(dir, { recursive: true, force: true });
}

console.log(
  'path'.padEnd(30),
  'clip MiB'.padStart(9),
  'before'.padStart(8),
  'peak'.padStart(8),
  'growth'.padStart(8),
  'peak/before'.padStart(12),
  'seconds'.padStart(8),
  '  delivered',
);
for (const row of rows) {
  console.log(
    row.path.padEnd(30),
    String(row.clipMiB).padStart(9),
    String(row.beforeMiB).padStart(8),
    String(row.peakMiB).padStart(8),
    String(row.growthMiB).padStart(8),
    String(row.peakRatioToBefore).padStart(12),
    String(row.seconds).padStart(8),
    ` ${row.delivered}`,
  );
}
const worst = Math.max(...rows.map((r) => r.growthMiB));
console.log(
  `largest growth ${worst} MiB; target ≤ ${TARGET_GROWTH_MIB} MiB: ${worst <= TARGET_GROWTH_MIB ? 'met' : 'MISSED'}`,
);
if (values.json) {
  process.stdout.write(
    `${JSON.stringify({ clipMiB: CLIP_MIB, targetGrowthMiB: TARGET_GROWTH_MIB, worstGrowthMiB: worst, rows })}\n`,
  );
}
