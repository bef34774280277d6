/**
 * `npm run demo`: the whole bot with no API key and no chat account. Starts a fake video task
 * API and a fake video server on 127.0.0.1, creates three tasks (Sora and VEO), then runs the
 * bot's terminal chat against them: the commands below are typed for you, the status lines
 * scroll by, and the clips land in data/demo/clips/. Then `sora-status --watch` follows one
 * more task the same way from the command line.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startFakeSoraApi } from '../test/fakes/sora-api.ts';
import { startFakeVideoCdn } from '../test/fakes/video-cdn.ts';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const apiKey = 'demo-key';
const dataDir = path.join(root, 'data/demo');

const cdn = await startFakeVideoCdn();
const api = await startFakeSoraApi({ apiKey, videoBaseUrl: cdn.baseUrl });
// Created a few minutes ago, so they end within seconds of the demo starting.
const created = Math.floor(Date.now() / 1000) - 150;
api.addTask({
  id: 'sora_demo_cat',
  created,
  queuedMs: 3000,
  processingMs: 6000,
  prompt: 'a cat surfing',
});
// A VEO task beside the Sora ones: the bot follows every family of the service alike.
api.addTask({
  id: 'vgen_demo_city',
  model: 'veo_3_1_fast',
  created,
  processingMs: 9000,
  actualDuration: 8,
});
api.addTask({
  id: 'sora_demo_fail',
  created,
  processingMs: 4000,
  outcome: 'failed',
  error: 'The prompt was refused by the content policy.',
});

const env = {
  ...process.env,
  SORA_API_KEY: apiKey,
  SORA_API_BASE_URL: api.baseUrl,
  VIDEO_URL_ALLOW_PRIVATE: 'true',
  DATA_DIR: dataDir,
  STORE_URL: 'memory://',
  LOG_LEVEL: 'warn',
};
const commands = [
  '/sora-status sora_demo_cat',
  '/sora-status vgen_demo_city',
  '/sora-status sora_demo_fail',
  '/sora-list',
  '/sora-status not/an/id',
];

async function run(args: string[], input?: string[]): Promise<number> {
  const child = spawn(process.execPath, args, {
    env,
    stdio: [input ? 'pipe' : 'ignore', 'inherit', 'inherit'],
  });
  if (input && child.stdin) {
    for (const line of input) {
      process.stdout.write(`> ${line}\n`);
      child.stdin.write(`${line}\n`);
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    child.stdin.end();
  }
  return new Promise((resolve) => child.on('exit', (code) => resolve(code ?? 1)));
}

process.stdout.write(
  `Fake Sora API at ${api.baseUrl}\n\n--- the bot's terminal chat (npm start)\n`,
);
const botExit = await run([path.join(root, 'src/main.ts')], commands);
process.stdout.write('\n--- the command line: sora-status sora_demo_cli --watch\n');
api.addTask({ id: 'sora_demo_cli', queuedMs: 2000, processingMs: 4000 });
const cliExit = await run([
  path.join(root, 'src/cli.ts'),
  'sora_demo_cli',
  '--watch',
  '--interval',
  '1',
  '--out',
  path.join(dataDir, 'cli'),
]);
await Promise.all([api.close(), cdn.close()]);
process.exitCode = botExit || cliExit;
