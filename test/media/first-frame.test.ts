/** The poster cutter: ffmpeg's first frame when it can, false (and one log line) when it cannot. */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { createLogger } from '../../src/log.ts';
import { ffmpegFrameCutter } from '../../src/media/first-frame.ts';
import { TINY_MP4 } from '../support/folder-clip-library.ts';
import { isInstalled } from '../support/installed.ts';
import { jsonLines } from '../support/log-lines.ts';

const hasFfmpeg = isInstalled('ffmpeg');

let dir: string;
before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'first-frame-'));
});
after(() => rm(dir, { recursive: true, force: true }));

function capturingLogger() {
  let text = '';
  const logger = createLogger(
    'info',
    new Writable({
      write(chunk, _encoding, done) {
        text += String(chunk);
        done();
      },
    }),
  );
  return { logger, lines: () => jsonLines(text) };
}

describe('ffmpegFrameCutter', () => {
  it('writes the first frame of a clip as a JPEG', {
    skip: !hasFfmpeg && 'no ffmpeg',
  }, async () => {
    const { logger } = capturingLogger();
    const jpeg = path.join(dir, 'first.jpg');
    assert.equal(await ffmpegFrameCutter({ logger })(TINY_MP4, jpeg), true);
    assert.deepEqual([...(await readFile(jpeg)).subarray(0, 2)], [0xff, 0xd8]);
  });

  it('makes nothing of a file that is no video, and says so', {
    skip: !hasFfmpeg && 'no ffmpeg',
  }, async () => {
    const { logger, lines } = capturingLogger();
    const notVideo = path.join(dir, 'not-a-video.mp4');
    await writeFile(notVideo, 'plain text');
    const jpeg = path.join(dir, 'none.jpg');
    assert.equal(await ffmpegFrameCutter({ logger })(notVideo, jpeg), false);
    assert.equal(existsSync(jpeg), false, 'no half poster left');
    assert.deepEqual(
      lines().map((line) => line.msg),
      ['clip posters: ffmpeg could not cut a poster'],
    );
  });

  it('says once that ffmpeg is missing, and stops trying', async () => {
    const { logger, lines } = capturingLogger();
    const cut = ffmpegFrameCutter({ logger, ffmpeg: '/nonexistent/ffmpeg' });
    assert.equal(await cut(TINY_MP4, path.join(dir, 'a.jpg')), false);
    assert.equal(await cut(TINY_MP4, path.join(dir, 'b.jpg')), false);
    assert.deepEqual(
      lines().map((line) => line.msg),
      ['clip posters: ffmpeg is not installed; placeholders are shown'],
    );
  });
});
