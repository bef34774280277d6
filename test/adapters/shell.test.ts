import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type FakeSoraApi, startFakeSoraApi } from '../fakes/sora-api.ts';
import { type FakeVideoCdn, FIXTURE, startFakeVideoCdn } from '../fakes/video-cdn.ts';
import { BotProcess } from '../support/bot-process.ts';

const API_KEY = 'shell-test-key';
let api: FakeSoraApi;
let cdn: FakeVideoCdn;
let dataDir: string;
/** The fake API's clock: tasks move on only when the test says so. */
let timeline = 0;
const bots: BotProcess[] = [];

before(async () => {
  cdn = await startFakeVideoCdn();
  api = await startFakeSoraApi({ apiKey: API_KEY, videoBaseUrl: cdn.baseUrl, now: () => timeline });
  dataDir = await mkdtemp(path.join(tmpdir(), 'sora-shell-'));
});
after(async () => {
  await Promise.all(bots.map((bot) => bot.kill()));
  await Promise.all([api.close(), cdn.close(), rm(dataDir, { recursive: true, force: true })]);
});

function startBot(): BotProcess {
  const bot = new BotProcess({
    SORA_API_KEY: API_KEY,
    SORA_API_BASE_URL: api.baseUrl,
    VIDEO_URL_ALLOW_PRIVATE: 'true',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'info',
  });
  bots.push(bot);
  return bot;
}

/** Created five minutes ago, so the schedule expects the end soon and polls every few seconds. */
const createdLongAgo = () => Math.floor(Date.now() / 1000) - 300;

describe('terminal chat (npm start with no platform configured)', () => {
  it('watches a task typed on stdin and saves the delivered clip', async () => {
    api.addTask({
      id: 'sora_shell_1',
      created: createdLongAgo(),
      processingMs: 1500,
      actualDuration: 4,
      // A signed link, as the API hands out: its signature must never reach the log.
      videoUrl: `${cdn.baseUrl}/videos/sora_shell_1.mp4?Expires=1&Signature=top-secret-signature`,
    });
    const bot = startBot();
    bot.send('/sora-list');
    await bot.waitForOutput(/No tasks are being watched here/);
    bot.send('/sora-status sora_shell_1');
    await bot.waitForOutput(/sora_shell_1 processing/);
    bot.send('/sora-list');
    await bot.waitForOutput(/Watching 1 here:\n• sora_shell_1: Sora 2 Plus, processing/);
    bot.send('/sora-status ../etc');
    await bot.waitForOutput(/is not a valid task id/);
    timeline = 2000; // the task completes now
    await bot.waitForOutput(
      /@you ✔ sora_shell_1 is ready \(Sora 2 Plus, 4 s clip\): saved .*sora_shell_1\.mp4 \(4 KiB\)/,
    );
    assert.deepEqual(await readFile(path.join(dataDir, 'clips', 'sora_shell_1.mp4')), FIXTURE);
    assert.match(bot.stderr, /"from":"http:\/\/127\.0\.0\.1:\d+\/videos\/sora_shell_1\.mp4"/);
    assert.doesNotMatch(bot.stderr + bot.stdout, /top-secret-signature/);
    bot.child.stdin.end();
    const { code } = await bot.exited;
    assert.equal(code, 0, 'the input ended and nothing is left to watch');
    // The bot keeps the finished clip in its library too, apart from the terminal's copy.
    const library = path.join(dataDir, 'library');
    assert.deepEqual(await readFile(path.join(library, 'sora_shell_1.mp4')), FIXTURE);
    const facts = JSON.parse(await readFile(path.join(library, 'sora_shell_1.json'), 'utf8'));
    assert.equal(facts.taskId, 'sora_shell_1');
    assert.equal(facts.bytes, FIXTURE.length);
    assert.equal(facts.places.length, 1);
  });

  it('makes a video from a typed line, watches it and saves its clip; a model that cannot be created is refused', async () => {
    const bot = startBot();
    const before = api.creates.length;
    bot.send('create --model seedance_2_0 a kite over the sea');
    await bot.waitForOutput(/Seedance 2\.0 can be watched but not created from here/);
    bot.send('create a kite over the sea --aspect 21:9');
    await bot.waitForOutput(/The video request is not valid: aspect_ratio must be 16:9 or 9:16/);
    assert.equal(api.creates.length, before, 'nothing sent for a refused line');
    bot.send('create a kite over the sea --aspect 16:9');
    await bot.waitForOutput(/Started (vgen_\w+) \(VEO 3\.1 Fast\); watching it here/);
    const taskId = /Started (vgen_\w+)/.exec(bot.stdout)?.[1] ?? '';
    await bot.waitForOutput(new RegExp(`${taskId} \\w+ · VEO 3\\.1 Fast · 16:9 · 8 s · 720p · `));
    assert.equal(api.creates.length, before + 1);
    assert.deepEqual(api.creates.at(-1)?.body, {
      model: 'veo_3_1_fast',
      prompt: 'a kite over the sea',
      aspect_ratio: '16:9',
    });
    timeline += 60_000; // the video is made
    await bot.waitForOutput(new RegExp(`@you ✔ ${taskId} is ready \\(VEO 3\\.1 Fast, 8 s clip\\)`));
    await readFile(path.join(dataDir, 'clips', `${taskId}.mp4`));
    bot.child.stdin.end();
    assert.equal((await bot.exited).code, 0);
  });

  it('follows VEO, Seedance and "Videos" tasks by their model names, and says when one was cancelled', async () => {
    const families = [
      { id: 'vgen_shell_veo', model: 'veo_3_1_fast', name: 'VEO 3.1 Fast', clip: 8 },
      { id: 'video_shell_seedance', model: 'seedance_2_0', name: 'Seedance 2.0', clip: 5.04 },
      { id: 'proj_shell_videos', model: 'videos', name: 'Videos', clip: 12.5 },
    ];
    const ends = timeline + 1500;
    for (const family of families) {
      api.addTask({
        id: family.id,
        model: family.model,
        created: createdLongAgo(),
        processingMs: 1500,
        actualDuration: family.clip,
      });
    }
    api.addTask({
      id: 'video_shell_cancel',
      model: 'seedance_2_0_fast',
      created: createdLongAgo(),
      processingMs: 1500,
      outcome: 'cancelled',
    });
    const bot = startBot();
    for (const family of families) {
      bot.send(`/sora-status ${family.id}`);
      await bot.waitForOutput(new RegExp(`▶ ${family.id} processing · ${family.name} · `));
    }
    bot.send('/sora-status video_shell_cancel');
    await bot.waitForOutput(/▶ video_shell_cancel processing · Seedance 2\.0 Fast · /);
    bot.send('/sora-list');
    await bot.waitForOutput(/Watching 4 here:\n/);
    for (const family of families) {
      assert.match(bot.stdout, new RegExp(`^• ${family.id}: ${family.name}, processing$`, 'm'));
    }
    assert.match(bot.stdout, /^• video_shell_cancel: Seedance 2\.0 Fast, processing$/m);

    timeline = ends; // every task ends now
    for (const family of families) {
      const clip = `${family.clip} s clip`.replace('.', '\\.');
      await bot.waitForOutput(
        new RegExp(
          `@you ✔ ${family.id} is ready \\(${family.name}, ${clip}\\): saved .*${family.id}\\.mp4 \\(4 KiB\\)`,
        ),
      );
      const saved = await readFile(path.join(dataDir, 'clips', `${family.id}.mp4`));
      assert.deepEqual(saved, FIXTURE);
    }
    await bot.waitForOutput(
      /@you ✖ video_shell_cancel ended without a video \(Seedance 2\.0 Fast\): The task was cancelled at the service\./,
    );
    assert.match(
      bot.stdout,
      /■ video_shell_cancel cancelled · Seedance 2\.0 Fast · .* · The task was cancelled at the service\./,
    );
    bot.child.stdin.end();
    const { code } = await bot.exited;
    assert.equal(code, 0, 'the input ended and nothing is left to watch');
  });
});

describe('terminal chat input', () => {
  it('shows control characters it echoes as escapes, never as themselves', async () => {
    const bot = startBot();
    // An escape sequence that would set the terminal's title, in an unknown command's name.
    bot.child.stdin.write('/sora-\x1b]0;pwned\x07 x\n');
    await bot.waitForOutput(/Unknown command/);
    assert.ok(bot.stdout.includes('Unknown command /sora-\\x1b]0;pwned\\x07.'), bot.stdout);
    assert.ok(!bot.stdout.includes('\x1b') && !bot.stdout.includes('\x07'), 'nothing raw');
    bot.child.stdin.end();
    assert.equal((await bot.exited).code, 0);
  });

  it('ends a line only at \\n (one \\r before it dropped), never at U+2028', async () => {
    const bot = startBot();
    // readline would end the line at U+2028 and run /sora-list as a second command.
    bot.child.stdin.write('/sora-nothing\u2028/sora-list\n');
    await bot.waitForOutput(/Unknown command/);
    bot.child.stdin.write('/sora-list\r\n');
    await bot.waitForOutput(/No tasks are being watched here/);
    bot.child.stdin.end();
    assert.equal((await bot.exited).code, 0);
    assert.equal(bot.stdout.match(/No tasks are being watched here/g)?.length, 1, bot.stdout);
    assert.equal(bot.stdout.match(/Unknown command/g)?.length, 1, bot.stdout);
    assert.doesNotMatch(bot.stdout, /\u2028/);
  });
});
