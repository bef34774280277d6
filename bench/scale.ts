/**
 * `npm run bench:scale`: 10,000 concurrent watches in one process against the fake Sora API
 * and video CDN on loopback, on the default SQLite store.
 *
 * Prints peak RSS, event-loop delay (p50/p99), the busiest second of API requests against
 * the cap, and the time to resume every stored watch in a fresh tracker. Memory and loop
 * delay are also given as ratios to the same process idle before the watches (the baseline
 * measured in this run). `--json` adds one JSON object on the last line.
 *
 * Options: --watches N (default 10000), --rps N (the cap, default 500), --seconds N (how
 * long the watches run after they are all added, default 30).
 *
 * `npm run bench:scale` runs it with the V8 flags of `npm start` (--optimize-for-size), so
 * the figures are the bot's as it runs in production.
 */

import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { createCommandHandler } from '../src/chat/command-handler.ts';
import { systemClock, systemRandom } from '../src/clock.ts';
import { silentLogger } from '../src/log.ts';
import { AdaptiveSchedule } from '../src/schedule/index.ts';
import { SoraClient } from '../src/sora/client.ts';
import { fetchVideo } from '../src/sora/download.ts';
import { RequestRateCap } from '../src/sora/rate-cap.ts';
import { openWatchStore } from '../src/store/open-store.ts';
import { Tracker } from '../src/tracker/tracker.ts';
import type { ScriptedTask } from '../test/fakes/sora-api.ts';
import { CountingAdapter } from './counting-adapter.ts';
import type { ServiceReply, ServiceRequest } from './fake-services.ts';

const { values } = parseArgs({
  options: {
    watches: { type: 'string', default: '10000' },
    rps: { type: 'string', default: '500' },
    seconds: { type: 'string', default: '30' },
    json: { type: 'boolean', default: false },
  },
});
const WATCHES = Number(values.watches);
const RPS = Number(values.rps);
const RUN_SECONDS = Number(values.seconds);
const MiB = 1024 * 1024;
/** Commands being answered at once while the watches are added. */
const COMMANDS_IN_FLIGHT = 100;

const dir = await mkdtemp(path.join(tmpdir(), 'sora-bench-scale-'));
const storeUrl = `sqlite://${path.join(dir, 'bench.sqlite')}`;
const services = fork(path.join(import.meta.dirname, 'fake-services.ts'));
const ready = (await once(services, 'message'))[0] as ServiceReply & { type: 'ready' };
const api = { baseUrl: ready.apiBaseUrl };

async function ask(child: ChildProcess, request: ServiceRequest): Promise<ServiceReply> {
  const answer = once(child, 'message');
  child.send(request);
  return (await answer)[0] as ServiceReply;
}

/** Peak RSS sampled every 100 ms. */
let peakRss = 0;
let peakUsage = process.memoryUsage();
const rssSampler = setInterval(() => {
  const usage = process.memoryUsage();
  if (usage.rss > peakRss) {
    peakRss = usage.rss;
    peakUsage = usage;
  }
}, 100);

async function idleBaseline(): Promise<{ rss: number; loopP99: number }> {
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  await sleep(2000);
  loop.disable();
  return { rss: process.memoryUsage.rss(), loopP99: loop.percentile(99) / 1e6 };
}

function makeTracker(store: Awaited<ReturnType<typeof openWatchStore>>, adapter: CountingAdapter) {
  const client = new SoraClient({
    apiKey: 'bench',
    baseUrl: api.baseUrl,
    rateCap: new RequestRateCap(RPS, systemClock),
  });
  const tracker = new Tracker(
    {
      store,
      schedule: new AdaptiveSchedule({ store, random: systemRandom, logger: silentLogger }),
      sora: client,
      fetchVideo: (url, destination, signal, maxAttempts) =>
        fetchVideo(url, destination, { maxBytes: MiB, allowPrivate: true, signal, maxAttempts }),
      adapters: [adapter],
      clock: systemClock,
      random: systemRandom,
      logger: silentLogger,
    },
    { downloadsDir: path.join(dir, 'downloads'), resumeSpreadMs: 60_000 },
  );
  return { tracker, client };
}

/** The most requests that started within any one second. */
function busiestSecond(times: number[]): number {
  let busiest = 0;
  let start = 0;
  for (let end = 0; end < times.length; end += 1) {
    while ((times[end] as number) - (times[start] as number) >= 1000) start += 1;
    busiest = Math.max(busiest, end - start + 1);
  }
  return busiest;
}

const baseline = await idleBaseline();
peakRss = 0;

// Tasks were created a few minutes ago and end over the next minutes, most after the run.
const createdAt = Math.floor(Date.now() / 1000) - 120;
const tasks: ScriptedTask[] = Array.from({ length: WATCHES }, (_, i) => ({
  id: `sora_scale_${i}`,
  created: createdAt,
  processingMs: 20_000 + ((i * 7919) % 600_000),
  actualDuration: [4, 8, 12][i % 3] as number,
}));
await ask(services, { type: 'add', tasks });

const loop = monitorEventLoopDelay({ resolution: 10 });
loop.enable();
const store = await openWatchStore(storeUrl);
const adapter = new CountingAdapter('bench');
const first = makeTracker(store, adapter);
await first.tracker.start();
const handler = createCommandHandler(first.tracker, silentLogger);
const addStarted = performance.now();
// Commands arrive as a busy team sends them: up to COMMANDS_IN_FLIGHT answered at once.
let nextWatch = 0;
const commandWorker = async () => {
  for (let i = nextWatch++; i < WATCHES; i = nextWatch++) {
    await handler({
      kind: 'status',
      taskId: `sora_scale_${i}`,
      origin: { target: `bench:channel-${i % 500}`, requester: `user${i}` },
    });
  }
};
await Promise.all(Array.from({ length: COMMANDS_IN_FLIGHT }, commandWorker));
const addSeconds = (performance.now() - addStarted) / 1000;
await sleep(RUN_SECONDS * 1000);
loop.disable();
// The running bot's figures end here; the resume below happens in the same process only
// for convenience, with the first tracker's memory still around.
const runPeak = { rss: peakRss, usage: peakUsage };
const stopStarted = performance.now();
await first.tracker.stop();
const stopSeconds = (performance.now() - stopStarted) / 1000;
await first.client.close();
await store.close();
const active = WATCHES - adapter.deliveries;

// A new process would do exactly this: open the store, resume every unfinished watch.
const resumeStarted = performance.now();
const reopened = await openWatchStore(storeUrl);
const second = makeTracker(reopened, new CountingAdapter('bench'));
await second.tracker.start();
const resumeSeconds = (performance.now() - resumeStarted) / 1000;
const resumed = second.tracker.activeCount;
await second.tracker.stop();
await second.client.close();
await reopened.close();

clearInterval(rssSampler);
const timesReply = await ask(services, { type: 'request-times' });
const requestTimes = (timesReply.type === 'request-times' ? timesReply.times : []).sort(
  (a, b) => a - b,
);
const figures = {
  watches: WATCHES,
  capRps: RPS,
  runSeconds: RUN_SECONDS,
  addSeconds: round(addSeconds),
  requests: requestTimes.length,
  busiestSecond: busiestSecond(requestTimes),
  deliveries: adapter.deliveries,
  peakRssMiB: round(runPeak.rss / MiB),
  peakHeapUsedMiB: round(runPeak.usage.heapUsed / MiB),
  peakHeapTotalMiB: round(runPeak.usage.heapTotal / MiB),
  idleRssMiB: round(baseline.rss / MiB),
  rssRatioToIdle: round(runPeak.rss / baseline.rss),
  loopDelayP50Ms: round(loop.percentile(50) / 1e6),
  loopDelayP99Ms: round(loop.percentile(99) / 1e6),
  idleLoopDelayP99Ms: round(baseline.loopP99),
  loopP99RatioToIdle: round(loop.percentile(99) / 1e6 / baseline.loopP99),
  stopSeconds: round(stopSeconds),
  activeAtStop: active,
  resumed,
  resumeSeconds: round(resumeSeconds),
};

const rows: [string, string, string][] = [
  ['watches', `${WATCHES}`, `added in ${figures.addSeconds} s, then ran ${RUN_SECONDS} s`],
  [
    'peak RSS',
    `${figures.peakRssMiB} MiB`,
    `×${figures.rssRatioToIdle} idle (${figures.idleRssMiB} MiB); JS heap ${figures.peakHeapUsedMiB} MiB; target ≤ 200 MB`,
  ],
  [
    'loop delay p99',
    `${figures.loopDelayP99Ms} ms`,
    `×${figures.loopP99RatioToIdle} idle; p50 ${figures.loopDelayP50Ms} ms; target ≤ 50 ms`,
  ],
  [
    'busiest second',
    `${figures.busiestSecond} req`,
    `cap ${RPS}/s; ${figures.requests} requests in all`,
  ],
  [
    'deliveries',
    `${figures.deliveries}`,
    `${active} still running at stop (stop took ${figures.stopSeconds} s)`,
  ],
  ['resume', `${figures.resumeSeconds} s`, `${resumed} watches; target ≤ 5 s`],
];
for (const [name, value, note] of rows) {
  process.stdout.write(`${name.padEnd(16)}${value.padStart(14)}   ${note}\n`);
}
if (values.json) process.stdout.write(`${JSON.stringify(figures)}\n`);

services.send({ type: 'close' } satisfies ServiceRequest);
await once(services, 'exit');
await rm(dir, { recursive: true, force: true });

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
