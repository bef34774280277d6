/**
 * `npm run demo`: the whole flow with no API key. Starts the fake Sora API and a fake video
 * server on 127.0.0.1, creates a task, then runs `sora-status --watch` against them, so the
 * status lines scroll by and the MP4 lands in data/demo/.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startFakeSoraApi } from '../test/fakes/sora-api.ts';
import { startFakeVideoCdn } from '../test/fakes/video-cdn.ts';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const apiKey = 'demo-key';

const cdn = await startFakeVideoCdn();
const api = await startFakeSoraApi({
  apiKey,
  videoBaseUrl: cdn.baseUrl,
  createTimeline: () => ({ queuedMs: 3000, processingMs: 6000 }),
});

const created = await fetch(`${api.baseUrl}/v1/sora/videos`, {
  method: 'POST',
  headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
  body: JSON.stringify({
    model: 'openAiSora2Plus',
    prompt: 'a paper boat on a rainy street',
    duration: 4,
  }),
});
const { id } = (await created.json()) as { id: string };
process.stdout.write(`Fake Sora API at ${api.baseUrl}; created task ${id}.\n\n`);

const child = spawn(
  process.execPath,
  [
    path.join(root, 'src/cli.ts'),
    id,
    '--watch',
    '--interval',
    '1',
    '--out',
    path.join(root, 'data/demo'),
  ],
  {
    stdio: 'inherit',
    env: {
      ...process.env,
      SORA_API_KEY: apiKey,
      SORA_API_BASE_URL: api.baseUrl,
      VIDEO_URL_ALLOW_PRIVATE: 'true',
    },
  },
);
const exitCode = await new Promise<number>((resolve) =>
  child.on('exit', (code) => resolve(code ?? 1)),
);
await Promise.all([api.close(), cdn.close()]);
process.exitCode = exitCode;
