/**
 * The fake API's tasks and their scripted timelines: each task spends a set time 'queued',
 * then 'processing', then ends in its outcome, all read from the injected clock so a test
 * moves a task along without waiting. Also renders a task as the service's JSON at the
 * current moment, as it answers for each family (Sora, VEO, Seedance, Grok, Vidu, "Videos").
 */
import type { Duration, ScriptedTask } from './types.ts';

const DEFAULT_ERROR = 'Content policy violation';
const DEFAULT_MODEL = 'openAiSora2Plus';
/** The service names Sora answers "video.generation" and every other family's "video". */
const SORA_MODEL = /sora/i;

/** Short enough for a live demo, long enough to see each status go by. */
export function defaultCreateTimeline(duration: Duration): {
  queuedMs: number;
  processingMs: number;
} {
  const processingMs = duration === 4 ? 3000 : duration === 8 ? 5000 : 8000;
  return { queuedMs: 2000, processingMs };
}

interface StoredTask {
  id: string;
  model: string;
  created: number;
  addedAt: number;
  queuedMs: number;
  processingMs: number;
  outcome: string;
  /** As scripted; a failed task without one gets the default. */
  error: string | undefined;
  videoUrl: string;
  actualDuration: number;
  prompt: string | undefined;
}

/** Every task the fake knows, by id. */
export interface TaskBoard {
  /** Adds a task (or replaces one with the same id); its timeline starts now. */
  add(task: ScriptedTask): void;
  /** The task's status right now, or undefined for an unknown id. */
  statusOf(id: string): string | undefined;
  /** The task as the API's JSON right now, or undefined for an unknown id. */
  jsonOf(id: string): Record<string, unknown> | undefined;
  /** What a truncated answer cuts in half: the task's real JSON, or a plausible one. */
  sampleJson(id: string | undefined): string;
}

export function createTaskBoard(now: () => number, videoBaseUrl: string): TaskBoard {
  const tasks = new Map<string, StoredTask>();

  /**
   * The task as the service's JSON: `video_url` and `error` are null until they apply, and
   * `actualDuration` comes with the video. A cancelled (or otherwise ended) task carries an
   * error only when one was scripted, so a test can have it with or without a reason.
   */
  function taskJson(task: StoredTask): Record<string, unknown> {
    const status = statusAt(task, now());
    const json: Record<string, unknown> = {
      id: task.id,
      object: objectOf(task.model),
      created: task.created,
      model: task.model,
      status,
      video_url: null,
      error: null,
    };
    if (status === 'completed') {
      json.video_url = task.videoUrl;
      json.actualDuration = task.actualDuration;
    }
    const ended = status === task.outcome && status !== 'completed';
    if (ended && (status === 'failed' || task.error !== undefined)) {
      json.error = task.error ?? DEFAULT_ERROR;
    }
    return json;
  }

  return {
    add(task) {
      const addedAt = now();
      tasks.set(task.id, {
        id: task.id,
        model: task.model ?? DEFAULT_MODEL,
        created: task.created ?? Math.floor(addedAt / 1000),
        addedAt,
        queuedMs: task.queuedMs ?? 0,
        processingMs: task.processingMs ?? 0,
        outcome: task.outcome ?? 'completed',
        error: task.error,
        videoUrl: task.videoUrl ?? `${videoBaseUrl}/videos/${encodeURIComponent(task.id)}.mp4`,
        actualDuration: task.actualDuration ?? 4,
        prompt: task.prompt,
      });
    },
    statusOf(id) {
      const task = tasks.get(id);
      return task === undefined ? undefined : statusAt(task, now());
    },
    jsonOf(id) {
      const task = tasks.get(id);
      return task === undefined ? undefined : taskJson(task);
    },
    sampleJson(id) {
      const task = id === undefined ? undefined : tasks.get(id);
      return JSON.stringify(task ? taskJson(task) : placeholderTask(id ?? 'sora_new'));
    },
  };
}

function objectOf(model: string): string {
  return SORA_MODEL.test(model) ? 'video.generation' : 'video';
}

function statusAt(task: StoredTask, time: number): string {
  const elapsed = time - task.addedAt;
  if (elapsed < task.queuedMs) return 'queued';
  if (elapsed < task.queuedMs + task.processingMs) return 'processing';
  return task.outcome;
}

function placeholderTask(id: string): Record<string, unknown> {
  return {
    id,
    object: objectOf(DEFAULT_MODEL),
    created: 0,
    model: DEFAULT_MODEL,
    status: 'queued',
    video_url: null,
    error: null,
  };
}
