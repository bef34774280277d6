import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { startFakeSoraApi } from './fakes/sora-api.ts';
import { FIXTURE } from './fakes/video-cdn.ts';
import { useCliWorld } from './support/cli-world.ts';
import { runCli } from './support/run-cli.ts';
import { waitFor } from './support/wait-for.ts';

const API_KEY = 'sk-cli-create-key-456';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const world = useCliWorld(API_KEY, 'sora-cli-create-');
const env = world.env;

describe('sora-status create', () => {
  it('creates the video once, with the default model, and prints its task', async () => {
    const run = await runCli(['create', 'a lighthouse in a storm', '--verbose'], env());
    assert.equal(run.code, 0, run.stderr);
    assert.equal(world.api.creates.length, 1);
    const [create] = world.api.creates;
    assert.equal(create?.endpoint, '/v1/veo/videos');
    assert.deepEqual(create?.body, { model: 'veo_3_1_fast', prompt: 'a lighthouse in a storm' });
    assert.match(create?.idempotencyKey ?? '', UUID, 'a fresh key when none is given');
    assert.ok(
      run.stderr.includes(`idempotency key ${create?.idempotencyKey}`),
      'said with --verbose, to be sent again',
    );
    assert.match(run.stdout, new RegExp(`^Task\\s+${create?.taskId}$`, 'm'));
    assert.match(run.stdout, /^Status\s+queued$/m);
    assert.match(run.stdout, /^Model\s+VEO 3\.1 Fast \(veo_3_1_fast\)$/m);
    // Not "add --watch": the same command again would start a second video.
    assert.match(run.stdout, new RegExp(`^Next\\s+sora-status ${create?.taskId} --watch `, 'm'));
  });

  it('sends the fields given, and the key given, on every create; --json shows the key', async () => {
    const args = [
      'create',
      'a cat',
      'surfing',
      '--model',
      'openAiSora2Pro',
      '--seconds',
      '8',
      '--size',
      '1280x720',
      '--image',
      'https://img.example/cat.png',
      '--key',
      'build-4711',
      '--json',
    ];
    const first = await runCli(args, env());
    const second = await runCli(args, env());
    assert.equal(first.code, 0, first.stderr);
    assert.equal(second.code, 0, second.stderr);
    // The fake starts a video per request, keyed or not: what is checked is what was sent.
    assert.deepEqual(
      world.api.creates.map((create) => [create.endpoint, create.idempotencyKey]),
      [
        ['/v1/sora/videos', 'build-4711'],
        ['/v1/sora/videos', 'build-4711'],
      ],
    );
    assert.deepEqual(world.api.creates[0]?.body, {
      model: 'openAiSora2Pro',
      prompt: 'a cat surfing',
      size: '1280x720',
      seconds: 8,
      image_urls: ['https://img.example/cat.png'],
    });
    const task = JSON.parse(first.stdout);
    assert.equal(task.id, world.api.creates[0]?.taskId);
    assert.equal(task.status, 'queued');
    assert.equal(task.model, 'openAiSora2Pro');
    assert.equal(task.idempotencyKey, 'build-4711');
  });

  it('exits 2 naming each wrong option, one line each, and sends nothing', async () => {
    const cases = [
      { args: ['--seconds', '4'], lines: [/^sora-status: --seconds: seconds must be 8\b/] },
      {
        args: ['--model', 'openAiSora2Plus', '--size', '720x1280', '--aspect', '9:16'],
        lines: [/^sora-status: --aspect: give size or aspect_ratio, not both$/],
      },
      {
        args: ['--size', '1280x720', '--resolution', '8K', '--key', 'has space'],
        lines: [
          /^sora-status: --size: VEO 3\.1 Fast takes aspect_ratio, not size$/,
          /^sora-status: --resolution: resolution must be 720p, 1080p or 4K for VEO 3\.1 Fast$/,
          /^sora-status: --key: /,
        ],
      },
      { args: ['--model', 'seedance_2_0'], lines: [/^sora-status: --model: .*not created/] },
    ];
    for (const { args, lines } of cases) {
      const run = await runCli(['create', 'a storm', ...args], env());
      assert.equal(run.code, 2, `${args.join(' ')}: ${run.stderr}`);
      const said = run.stderr.trimEnd().split('\n');
      assert.equal(said.length, lines.length, run.stderr);
      for (const [i, line] of lines.entries()) assert.match(said[i] ?? '', line);
    }
    assert.equal(world.api.requests.length, 0);
  });

  it('exits 2 without a prompt or with an unknown option, and --help shows create', async () => {
    for (const args of [['create'], ['create', '  '], ['create', 'x', '--notify', 'slack:C1']]) {
      const run = await runCli(args, env());
      assert.equal(run.code, 2, `${JSON.stringify(args)}: ${run.stderr}`);
      assert.match(run.stderr, /^sora-status: .*sora-status --help/);
    }
    assert.equal(world.api.requests.length, 0);
    const help = await runCli(['create', '--help'], env());
    assert.equal(help.code, 0);
    assert.match(help.stdout, /sora-status create "<prompt>"/);
    assert.match(help.stdout, /--model M +the model \(default veo_3_1_fast\)/);
  });

  it('exits 3 with one plain sentence when the service refuses the video', async () => {
    world.api.misbehaveAll({
      kind: 'status',
      status: 400,
      body: JSON.stringify({ error: { message: 'Content policy violation' } }),
    });
    const moderated = await runCli(['create', 'something forbidden'], env());
    assert.equal(moderated.code, 3);
    assert.equal(
      moderated.stderr,
      'sora-status: The service refused this video on content grounds (Content policy violation); change the prompt or the image and try again.\n',
    );

    world.api.misbehaveAll({ kind: 'status', status: 402 });
    const broke = await runCli(['create', 'a storm'], env());
    assert.equal(broke.code, 3);
    assert.equal(
      broke.stderr,
      'sora-status: The video service account has run out of balance; no video was started. Top the account up and try again.\n',
    );
    assert.equal(world.api.creates.length, 2, 'each sent once, not retried');
  });

  it('exits 4 when the key is refused, never printing it', async () => {
    const run = await runCli(['create', 'a storm'], env({ SORA_API_KEY: 'sk-wrong-1111' }));
    assert.equal(run.code, 4);
    assert.equal(
      run.stderr,
      'sora-status: The Sora API refused the API key (HTTP 401): check SORA_API_KEY.\n',
    );
    assert.doesNotMatch(run.stdout + run.stderr, /sk-wrong-1111/);
  });

  it('names the key to send again when the answer is lost, and sends it only once', async () => {
    world.api.misbehaveAll({ kind: 'reset' });
    const run = await runCli(['create', 'a storm'], env());
    assert.equal(run.code, 3);
    const key = world.api.creates[0]?.idempotencyKey;
    assert.equal(world.api.creates.length, 1, 'a create that may have arrived is not repeated');
    assert.deepEqual(run.stderr.trimEnd().split('\n'), [
      'sora-status: The Sora API could not be reached; try again later.',
      `sora-status: The video may have been started; to ask again without making it twice, run the same command with --key ${key}`,
    ]);
  });
});

describe('sora-status create --watch', () => {
  it('creates, follows the task to the end, saves the clip and exits 0', async (t) => {
    // A fake of its own whose timeline moves only once the command has seen the task
    // processing, so every state is observed however slowly the child process starts.
    let timeline = Date.now();
    const stepped = await startFakeSoraApi({
      apiKey: API_KEY,
      videoBaseUrl: world.cdn.baseUrl,
      now: () => timeline,
      createTimeline: () => ({ queuedMs: 0, processingMs: 1000 }),
    });
    t.after(() => stepped.close());
    const running = runCli(
      ['create', 'a lighthouse', '--watch', '--interval', '0.1', '--out', world.outDir, '--json'],
      env({ SORA_API_BASE_URL: stepped.baseUrl }),
    );
    // A second poll means the first was answered (processing) before the clock moved on.
    const polls = () => stepped.requests.filter((r) => r.method === 'GET').length;
    await waitFor(() => polls() >= 2, 'a second poll');
    timeline += 1000;
    const run = await running;
    assert.equal(run.code, 0, run.stderr);
    assert.equal(stepped.creates.length, 1);
    const id = stepped.creates[0]?.taskId ?? '';
    assert.match(id, /^vgen_/);
    const lines = run.stdout.split('\n');
    assert.equal(lines[0], `Created ${id}`);
    assert.equal(lines[1]?.replace(/^\[\d\d:\d\d\] /, ''), 'processing (VEO 3.1 Fast)');
    assert.match(run.stdout, /\] completed \(8 s clip\)$/m);
    assert.equal(lines.at(-2), `Saved ${path.join(world.outDir, `${id}.mp4`)} (4 KiB)`);
    assert.deepEqual(await readFile(path.join(world.outDir, `${id}.mp4`)), FIXTURE);
    const ending = JSON.parse(
      run.stdout.slice(run.stdout.indexOf('{'), run.stdout.lastIndexOf('}') + 1),
    );
    assert.equal(ending.kind, 'saved');
    assert.equal(ending.idempotencyKey, stepped.creates[0]?.idempotencyKey);
  });
});
