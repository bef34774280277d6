/**
 * A stand-in for the video task service (the "Sora API"), served over real HTTP on 127.0.0.1
 * so clients are exercised through sockets, headers and a base URL with a path, as in
 * production. Its result endpoint answers for every family (Sora, VEO, Seedance, Grok, Vidu,
 * "Videos") as the service does; a scripted task's model decides how its answer reads. Its
 * create endpoints (Sora's and VEO's) check bodies as the service documents, record each
 * body and `Idempotency-Key`, and make a task of the model and length asked for.
 *
 * Tasks follow scripted timelines read from an injectable clock, so a test decides when a
 * task is queued, processing or done without waiting. One-off misbehaviours (rate limits,
 * HTML pages, truncated bodies, resets, hangs) can be queued for one task or for every
 * request, to drive a client's retry and error paths.
 *
 * This file starts the server and hands out the controls; the timelines live in
 * sora-api/tasks.ts, the routes in sora-api/routes.ts, the misbehaviours in
 * sora-api/misbehaviours.ts and the public types in sora-api/types.ts.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sendError } from './sora-api/http-bodies.ts';
import { createRequestHandler } from './sora-api/routes.ts';
import { createTaskBoard, defaultCreateTimeline } from './sora-api/tasks.ts';
import type {
  FakeSoraApi,
  FakeSoraOptions,
  Misbehaviour,
  RecordedCreate,
  RecordedRequest,
} from './sora-api/types.ts';

export type {
  Duration,
  FakeSoraApi,
  FakeSoraOptions,
  Misbehaviour,
  RecordedCreate,
  RecordedRequest,
  ScriptedTask,
} from './sora-api/types.ts';

const DEFAULT_API_KEY = 'test-key';
const DEFAULT_BASE_PATH = '/kyyReactApiServer';
// `.invalid` never resolves and the scheme is HTTPS, so the link passes a downloader's safety
// checks yet can never reach a real host. Demos that download set their own video server.
const DEFAULT_VIDEO_BASE_URL = 'https://sora-videos.invalid';

export async function startFakeSoraApi(options: FakeSoraOptions = {}): Promise<FakeSoraApi> {
  const apiKey = options.apiKey ?? DEFAULT_API_KEY;
  const basePath = normaliseBasePath(options.basePath ?? DEFAULT_BASE_PATH);
  const now = options.now ?? Date.now;
  const videoBaseUrl = (options.videoBaseUrl ?? DEFAULT_VIDEO_BASE_URL).replace(/\/+$/, '');
  const createTimeline = options.createTimeline ?? defaultCreateTimeline;

  const tasks = createTaskBoard(now, videoBaseUrl);
  const requests: RecordedRequest[] = [];
  const creates: RecordedCreate[] = [];
  const account: { balanceSeconds?: number } = {};
  const moderatedWords = options.moderatedWords ?? ['forbidden'];
  const taskSteps = new Map<string, Misbehaviour[]>();
  const globalSteps: Misbehaviour[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const handle = createRequestHandler({
    apiKey,
    basePath,
    createTimeline,
    tasks,
    requests,
    creates,
    account,
    moderatedWords,
    taskSteps,
    globalSteps,
    timers,
  });
  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      // A socket torn down mid-request (by the client or by close()) lands here.
      if (!res.headersSent && !res.destroyed) {
        sendError(res, 500, 'Internal server error');
      } else {
        res.destroy();
      }
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;

  let closing: Promise<void> | undefined;

  return {
    baseUrl: `http://127.0.0.1:${port}${basePath}`,
    requests,
    creates,
    account,
    addTask: (task) => tasks.add(task),
    misbehave(taskId, ...steps) {
      const queue = taskSteps.get(taskId) ?? [];
      queue.push(...steps);
      taskSteps.set(taskId, queue);
    },
    misbehaveAll(...steps) {
      globalSteps.push(...steps);
    },
    statusOf: (taskId) => tasks.statusOf(taskId),
    close() {
      closing ??= new Promise<void>((resolve, reject) => {
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        server.close((error) => (error ? reject(error) : resolve()));
        // Hanging and keep-alive sockets would otherwise hold close() open indefinitely.
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

function normaliseBasePath(path: string): string {
  const trimmed = path.replace(/\/+$/, '');
  if (trimmed === '') return '';
  return trimmed.startsWith('/') ? trimmed : `/${trimmed}`;
}
