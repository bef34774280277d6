import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { startFakeSoraApi } from './fakes/sora-api.ts';
import { FIXTURE } from './fakes/video-cdn.ts';
import { useCliWorld } from './support/cli-world.ts';
import { runCli } from './support/run-cli.ts';
import { waitFor } from './support/wait-for.ts';

const API_KEY = 'sk-cli-test-key-789';
const world = useCliWorld(API_KEY, 'sora-cli-');
const env = world.env;

describe('sora-status <id>', () => {
  it('prints the task in one readable block', async () => {
    world.api.addTask({ id: 'sora_cli_block', queuedMs: 60_000, model: 'openAiSora2Pro' });
    const run = await runCli(['sora_cli_block'], env());
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^Task\s+sora_cli_block$/m);
    assert.match(run.stdout, /^Status\s+queued$/m);
    assert.match(run.stdout, /^Model\s+Sora 2 Pro \(openAiSora2Pro\)$/m);
    assert.match(run.stdout, /^Created\s+\d{4}-\d\d-\d\d \d\d:\d\d UTC \(\d+ s ago\)$/m);
  });

  it('shows a completed task’s clip length and link validity, a failed one’s error', async () => {
    world.api.addTask({ id: 'sora_cli_done', actualDuration: 12 });
    const done = await runCli(['sora_cli_done'], env());
    assert.equal(done.code, 0);
    assert.match(done.stdout, /^Duration\s+12 s$/m);
    assert.match(done.stdout, /^Video\s+http:\/\/127\.0\.0\.1:\d+\/videos\/sora_cli_done\.mp4$/m);
    assert.match(done.stdout, /^Link valid\s+at least until .+ UTC \(in 2[34] h \d\d min\)$/m);

    world.api.addTask({ id: 'sora_cli_failed', outcome: 'failed', error: 'Prompt rejected' });
    const failed = await runCli(['sora_cli_failed'], env());
    assert.equal(failed.code, 1, 'a task that ended without a video exits 1, shown or watched');
    assert.match(failed.stdout, /^Error\s+Prompt rejected$/m);
  });

  it('prints the normalized task as JSON with --json', async () => {
    world.api.addTask({ id: 'sora_cli_json', created: 1_760_000_000, actualDuration: 4 });
    const run = await runCli(['sora_cli_json', '--json'], env());
    assert.equal(run.code, 0);
    const task = JSON.parse(run.stdout);
    assert.equal(task.id, 'sora_cli_json');
    assert.equal(task.status, 'completed');
    assert.equal(task.created, 1_760_000_000);
    assert.match(task.videoUrl, /sora_cli_json\.mp4$/);
  });

  it('exits 2 on an invalid id or bad usage, sending nothing', async () => {
    for (const args of [
      ['../etc/passwd'],
      ['a b'],
      [],
      ['one', 'two'],
      ['x', '--frobnicate'],
      ['x', '--watch', '--out'],
    ]) {
      const run = await runCli(args, env());
      assert.equal(run.code, 2, `${JSON.stringify(args)}: ${run.stderr}`);
      assert.match(run.stderr, /^sora-status: /m);
      assert.doesNotMatch(run.stderr, /at .*\.ts:\d+/, 'no stack trace');
    }
    assert.equal(world.api.requests.length, 0);
  });

  it('exits 2 naming SORA_API_KEY when it is missing', async () => {
    const run = await runCli(['sora_x'], { SORA_API_BASE_URL: world.api.baseUrl });
    assert.equal(run.code, 2);
    assert.match(run.stderr, /SORA_API_KEY is not set/);
  });

  it('exits 3 for an unknown task and 4 for a refused key, never printing the key', async () => {
    const missing = await runCli(['sora_nowhere'], env());
    assert.equal(missing.code, 3);
    assert.match(missing.stderr, /No task with id sora_nowhere was found/);

    world.api.addTask({ id: 'sora_cli_auth' });
    const refused = await runCli(
      ['sora_cli_auth', '--verbose'],
      env({ SORA_API_KEY: 'sk-wrong-0000' }),
    );
    assert.equal(refused.code, 4);
    assert.match(refused.stderr, /refused the API key/);
    assert.doesNotMatch(refused.stdout + refused.stderr, /sk-wrong-0000/);
  });

  it('exits 3 with one sentence when the API keeps failing', async () => {
    world.api.addTask({ id: 'sora_cli_down' });
    world.api.misbehave(
      'sora_cli_down',
      { kind: 'status', status: 503 },
      { kind: 'status', status: 503 },
    );
    const run = await runCli(['sora_cli_down'], env());
    assert.equal(run.code, 3);
    assert.equal(
      run.stderr.trim().split('\n').at(-1),
      'sora-status: The Sora API is not answering properly (HTTP 503); try again later.',
    );
  });
});

describe('sora-status <id> --watch', () => {
  it('prints a line per change, saves the video and exits 0', async (t) => {
    // A fake of its own whose timeline moves only when the test has seen the CLI poll, so
    // every state is observed however slowly the child process starts.
    let timeline = 0;
    const stepped = await startFakeSoraApi({
      apiKey: API_KEY,
      videoBaseUrl: world.cdn.baseUrl,
      now: () => timeline,
    });
    t.after(() => stepped.close());
    stepped.addTask({
      id: 'sora_cli_watch',
      created: Math.floor(Date.now() / 1000),
      queuedMs: 1000,
      processingMs: 1000,
      actualDuration: 8,
    });
    const running = runCli(
      ['sora_cli_watch', '--watch', '--interval', '0.1', '--out', world.outDir],
      env({ SORA_API_BASE_URL: stepped.baseUrl }),
    );
    await waitFor(() => stepped.requests.length >= 1, 'the first poll');
    timeline = 1500;
    const polledDuringProcessing = stepped.requests.length + 1;
    await waitFor(
      () => stepped.requests.length > polledDuringProcessing,
      'a poll while processing',
    );
    timeline = 2500;
    const run = await running;
    assert.equal(run.code, 0, run.stderr);
    const lines = run.stdout.trim().split('\n');
    assert.deepEqual(
      lines.map((line) => line.replace(/^\[\d\d:\d\d\] /, '')),
      [
        'queued (Sora 2 Plus)',
        'processing',
        'completed (8 s clip)',
        `Saved ${path.join(world.outDir, 'sora_cli_watch.mp4')} (4 KiB)`,
      ],
    );
    assert.deepEqual(await readFile(path.join(world.outDir, 'sora_cli_watch.mp4')), FIXTURE);
  });

  it('exits 1 with the error when the task fails', async () => {
    world.api.addTask({
      id: 'sora_cli_wfail',
      processingMs: 200,
      outcome: 'failed',
      error: 'Moderation',
    });
    const run = await runCli(
      ['sora_cli_wfail', '--watch', '--interval', '0.1', '--out', world.outDir],
      env(),
    );
    assert.equal(run.code, 1);
    // The model is named on the first line, which is this one when the task failed early.
    assert.match(run.stdout, /\] failed \((?:Sora 2 Plus; )?Moderation\)$/m);
  });

  it('exits 1 on another final status such as expired, saying why on stderr', async () => {
    world.api.addTask({ id: 'sora_cli_expired_task', outcome: 'expired' });
    const run = await runCli(['sora_cli_expired_task', '--watch', '--out', world.outDir], env());
    assert.equal(run.code, 1);
    assert.match(run.stdout, /\] expired \(Sora 2 Plus\)$/m);
    assert.equal(run.stderr, 'sora-status: The task ended with status "expired".\n');
  });

  it('exits 3 when the link has expired or serves no video, leaving no file behind', async () => {
    world.api.addTask({
      id: 'sora_cli_expired',
      videoUrl: `${world.cdn.baseUrl}/videos/expired.mp4`,
    });
    const expired = await runCli(['sora_cli_expired', '--watch', '--out', world.outDir], env());
    assert.equal(expired.code, 3);
    assert.match(expired.stderr, /The download link has expired; links last 1 day\./);

    world.api.addTask({ id: 'sora_cli_html', videoUrl: `${world.cdn.baseUrl}/videos/page.mp4` });
    const html = await runCli(['sora_cli_html', '--watch', '--out', world.outDir], env());
    assert.equal(html.code, 3);
    assert.match(html.stderr, /did not serve an MP4 video/);
    const files = await readdir(world.outDir);
    assert.ok(
      !files.some((f) => f.startsWith('sora_cli_expired') || f.startsWith('sora_cli_html')),
      files.join(),
    );
  });

  it('refuses a private video link unless VIDEO_URL_ALLOW_PRIVATE is set', async () => {
    world.api.addTask({ id: 'sora_cli_private' });
    const run = await runCli(
      ['sora_cli_private', '--watch', '--out', world.outDir],
      env({ VIDEO_URL_ALLOW_PRIVATE: 'false' }),
    );
    assert.equal(run.code, 3);
    assert.match(run.stderr, /The download link was refused: .*HTTPS/);
  });
});

/** One task of each family that is not Sora, as the service names them. */
const FAMILIES = [
  { id: 'vgen_cli_veo', model: 'veo_3_1_fast', name: 'VEO 3.1 Fast', clip: 8 },
  { id: 'video_cli_seedance', model: 'seedance_2_0_fast', name: 'Seedance 2.0 Fast', clip: 5.04 },
  { id: 'proj_cli_videos', model: 'videos', name: 'Videos', clip: 12.5 },
] as const;

describe('sora-status with tasks of every family', () => {
  for (const family of FAMILIES) {
    it(`shows a ${family.name} task with its model's name and decimal length`, async () => {
      world.api.addTask({ id: family.id, model: family.model, actualDuration: family.clip });
      const run = await runCli([family.id], env());
      assert.equal(run.code, 0, run.stderr);
      assert.match(run.stdout, new RegExp(`^Task\\s+${family.id}$`, 'm'));
      assert.match(run.stdout, /^Status\s+completed$/m);
      const model = `${family.name} (${family.model})`.replace(/[().]/g, '\\$&');
      assert.match(run.stdout, new RegExp(`^Model\\s+${model}$`, 'm'));
      assert.match(run.stdout, new RegExp(`^Duration\\s+${family.clip} s$`, 'm'));
    });

    it(`follows a ${family.name} task with --watch, saves the clip and exits 0`, async (t) => {
      // The task completes only once the command has seen it processing (see above).
      let timeline = 0;
      const stepped = await startFakeSoraApi({
        apiKey: API_KEY,
        videoBaseUrl: world.cdn.baseUrl,
        now: () => timeline,
      });
      t.after(() => stepped.close());
      const id = `${family.id}_watch`;
      stepped.addTask({
        id,
        model: family.model,
        created: Math.floor(Date.now() / 1000),
        processingMs: 1000,
        actualDuration: family.clip,
      });
      const running = runCli(
        ['--watch', id, '--interval', '0.1', '--out', world.outDir],
        env({ SORA_API_BASE_URL: stepped.baseUrl }),
      );
      await waitFor(() => stepped.requests.length >= 1, 'the first poll');
      timeline = 1000;
      const run = await running;
      assert.equal(run.code, 0, run.stderr);
      const lines = run.stdout.trim().split('\n');
      assert.equal(lines[0]?.replace(/^\[\d\d:\d\d\] /, ''), `processing (${family.name})`);
      assert.match(run.stdout, new RegExp(`\\] completed \\(${family.clip} s clip\\)$`, 'm'));
      assert.equal(lines.at(-1), `Saved ${path.join(world.outDir, `${id}.mp4`)} (4 KiB)`);
      assert.deepEqual(await readFile(path.join(world.outDir, `${id}.mp4`)), FIXTURE);
    });
  }

  it('shows a cancelled task’s plain sentence, and --watch ends with it and exit 1', async () => {
    world.api.addTask({ id: 'video_cli_cancel', model: 'seedance_2_0', outcome: 'cancelled' });
    const shown = await runCli(['video_cli_cancel'], env());
    assert.equal(shown.code, 1, 'a cancelled task exits 1, shown or watched');
    assert.match(shown.stdout, /^Status\s+cancelled$/m);
    assert.match(shown.stdout, /^Error\s+The task was cancelled at the service\.$/m);
    assert.doesNotMatch(shown.stdout, /^Next/m, 'nothing left to follow');

    world.api.addTask({ id: 'video_cli_canceled', model: 'seedance_2_0', outcome: 'canceled' });
    const watched = await runCli(['video_cli_canceled', '--watch', '--out', world.outDir], env());
    assert.equal(watched.code, 1);
    assert.match(
      watched.stdout,
      /\] canceled \(Seedance 2\.0; The task was cancelled at the service\.\)$/m,
    );
    assert.equal(watched.stderr, '', 'said once, on the status line, as a failure is');
    assert.equal(
      (await readdir(world.outDir)).filter((f) => f.startsWith('video_cli_canc')).length,
      0,
    );
  });

  it('shows the service’s own reason for a cancelled task when it gives one', async () => {
    world.api.addTask({
      id: 'video_cli_cancel_why',
      model: 'seedance_2_0',
      outcome: 'cancelled',
      error: 'Cancelled by the account owner',
    });
    const run = await runCli(['video_cli_cancel_why', '--watch', '--out', world.outDir], env());
    assert.equal(run.code, 1);
    assert.match(run.stdout, /\] cancelled \(Seedance 2\.0; Cancelled by the account owner\)$/m);
  });
});
