import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { loadConfig } from '../src/config.ts';

// Docker cannot run here: these checks read the files, with no engine.
const root = path.join(import.meta.dirname, '..');
const read = (name: string): string => readFileSync(path.join(root, name), 'utf8');

interface Instruction {
  keyword: string;
  args: string;
}

/** Dockerfile instructions, comments dropped and `\` continuations joined. */
function parseDockerfile(text: string): Instruction[] {
  const lines = text
    .split('\n')
    .filter((line) => !line.trim().startsWith('#'))
    .join('\n')
    .replace(/\\\n/g, ' ')
    .split('\n');
  return lines
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .map((line) => {
      const [keyword = '', ...rest] = line.split(/\s+/);
      return { keyword: keyword.toUpperCase(), args: rest.join(' ') };
    });
}

/** Splits `args` into words, dropping `--flag=value` options. */
function words(args: string): string[] {
  return args.split(/\s+/).filter((word) => !word.startsWith('--'));
}

const instructions = parseDockerfile(read('Dockerfile'));
const lastFrom = instructions.findLastIndex((i) => i.keyword === 'FROM');
const runtime = instructions.slice(lastFrom);
const ofRuntime = (keyword: string) => runtime.filter((i) => i.keyword === keyword);

const copySources = instructions
  .filter((i) => i.keyword === 'COPY' && !/--from=/.test(i.args))
  .flatMap((i) => words(i.args).slice(0, -1));

/** Whether a .dockerignore pattern (simple: names, `*` globs) matches a path or its parents. */
function ignores(pattern: string, file: string): boolean {
  const source = pattern
    .replace(/^\/+|\/+$/g, '')
    .replace(/[.+^${}()|[\]]/g, '\\$&')
    .replace(/\*/g, '[^/]*')
    .replace(/\?/g, '[^/]');
  const regex = new RegExp(`^${source}$`);
  const parts = path.posix.normalize(file).split('/');
  return parts.some((_, i) => regex.test(parts.slice(0, i + 1).join('/')));
}

describe('Dockerfile', () => {
  it('builds from the official Node 24 slim image in every stage', () => {
    const images = instructions.filter((i) => i.keyword === 'FROM').map((i) => words(i.args)[0]);
    assert.ok(images.length >= 2, 'multi-stage');
    for (const image of images) {
      assert.match(image ?? '', /^node:24-(bookworm-)?slim$/);
    }
  });

  it('copies only paths that exist in the repository', () => {
    assert.ok(copySources.includes('src'));
    for (const source of copySources) {
      assert.ok(existsSync(path.join(root, source)), `${source} exists`);
    }
  });

  it('installs production dependencies only', () => {
    const runs = instructions.filter((i) => i.keyword === 'RUN').map((i) => i.args);
    assert.ok(runs.some((run) => /npm ci\b.*--omit=dev/.test(run)));
  });

  it('runs as a non-root user with a /data volume and a health check', () => {
    const user = ofRuntime('USER').at(-1)?.args;
    assert.ok(user, 'USER is set');
    assert.ok(!['root', '0', '0:0'].includes(user), `${user} is not root`);
    assert.ok(ofRuntime('VOLUME').some((i) => /(^|["\s[])\/data(["\s\]]|$)/.test(i.args)));
    assert.ok(ofRuntime('ENV').some((i) => /\bDATA_DIR=\/data\b/.test(i.args)));
    const healthcheck = ofRuntime('HEALTHCHECK').at(-1)?.args ?? '';
    assert.match(healthcheck, /\/healthz/);
  });

  it('has ffmpeg in the image, for the posters of the share pages', () => {
    assert.ok(ofRuntime('RUN').some((run) => /apt-get install .*\bffmpeg\b/.test(run.args)));
  });

  it('starts the bot with node src/main.ts', () => {
    const cmd = ofRuntime('CMD').at(-1)?.args ?? '';
    const argv: string[] = cmd.startsWith('[') ? JSON.parse(cmd) : cmd.split(/\s+/);
    assert.equal(argv[0], 'node');
    assert.equal(argv.at(-1), 'src/main.ts');
    assert.ok(argv.includes('--optimize-for-size'));
  });
});

describe('.dockerignore', () => {
  const patterns = read('.dockerignore')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#') && !line.startsWith('!'));

  it('keeps out what the image does not need', () => {
    for (const name of ['node_modules', 'data', '.env', '.git', 'test', 'bench', 'demo']) {
      assert.ok(
        patterns.some((pattern) => ignores(pattern, name)),
        `${name} is ignored`,
      );
    }
  });

  it('excludes nothing the image copies', () => {
    for (const file of [...copySources, 'src/main.ts', 'src/config.ts']) {
      for (const pattern of patterns) {
        assert.ok(!ignores(pattern, file), `${pattern} does not exclude ${file}`);
      }
    }
  });
});

describe('docker-compose.yml', () => {
  const compose = read('docker-compose.yml');

  it('runs the bot on a Redis service', () => {
    assert.match(compose, /^ {2}bot:$/m);
    assert.match(compose, /^ {2}redis:$/m);
    assert.match(compose, /image: redis:7/);
    assert.match(compose, /STORE_URL[=:] ?redis:\/\/redis:6379\b/);
    assert.match(compose, /- bot-data:\/data$/m);
  });

  it('keeps the clip library on a volume of its own, or in an optional MinIO', () => {
    assert.match(compose, /- bot-clips:\/data\/library$/m);
    assert.match(compose, /^ {2}minio:$/m);
    assert.match(compose, /^ {4}profiles: \["minio"\]$/m, 'MinIO only when asked for');
    assert.match(compose, /mc mb --ignore-existing local\/sora-clips/);
    // The example the comment gives names the settings the bot reads.
    assert.match(
      compose,
      /MEDIA_STORE_URL=s3:\/\/sora-clips\/ +AWS_ENDPOINT_URL_S3=http:\/\/minio:9000/,
    );
    assert.ok(
      instructions.some((i) => i.keyword === 'RUN' && /mkdir -p \/data\/library/.test(i.args)),
      'the image makes the library folder, owned by the bot',
    );
  });

  it('gives the bot longer to stop than its default grace period for deliveries', () => {
    const grace = /^ {4}stop_grace_period: (\d+)s$/m.exec(compose)?.[1];
    assert.ok(grace !== undefined, 'stop_grace_period is set on the bot');
    assert.ok(Number(grace) * 1000 > loadConfig({ SORA_API_KEY: 'k' }).shutdownGraceMs);
  });
});
