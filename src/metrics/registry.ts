/**
 * The bot's Prometheus metrics on a registry of its own (never prom-client's global one, so
 * tests and a second instance in one process do not share counters), and the one object that
 * turns the tracker's and the Sora client's observer calls into samples. Nothing else in the
 * bot imports prom-client: the tracker and the client only know their observer interfaces.
 */
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { CreateObserver } from '../create/creator.ts';
import type { ClipLibraryObserver } from '../media/clip-library.ts';
import { modelInfo } from '../models/index.ts';
import type { SoraRequestObserver } from '../sora/request-observer.ts';
import type { TrackerObserver } from '../tracker/ports.ts';
import type { SharePageObserver } from '../web/routes.ts';

export interface MetricsOptions {
  /** Read at each scrape: how many watches are unfinished. */
  activeWatches: () => number;
  /** Adds prom-client's process and Node.js metrics (CPU, memory, event loop lag...). */
  processMetrics?: boolean;
}

export interface BotMetrics {
  registry: Registry;
  /** Passed to the tracker's ports, to the Sora client, to the creator and to the clip library. */
  observer: BotObserver;
}

export type BotObserver = TrackerObserver &
  SoraRequestObserver &
  CreateObserver &
  ClipLibraryObserver &
  SharePageObserver;

const PREFIX = 'sora_bot_';

/** One API request takes well under a second; a slow proxy or a timeout up to 30 s. */
const REQUEST_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
/** From seconds (a poll just missed) to an hour (a delivery retried through an outage). */
const DELIVERY_BUCKETS = [1, 5, 15, 30, 60, 120, 300, 900, 3600];

export function createMetrics(options: MetricsOptions): BotMetrics {
  const registry = new Registry();
  const registers = [registry];
  if (options.processMetrics ?? true) collectDefaultMetrics({ register: registry });

  new Gauge({
    name: `${PREFIX}active_watches`,
    help: 'Unfinished watches (polling, downloading or delivering).',
    registers,
    collect() {
      this.set(options.activeWatches());
    },
  });
  const polls = new Counter({
    name: `${PREFIX}polls_total`,
    help: 'Video task polls by outcome: the status seen (cancelled in either spelling), or the kind of error.',
    labelNames: ['outcome'] as const,
    registers,
  });
  const requestSeconds = new Histogram({
    name: `${PREFIX}sora_request_duration_seconds`,
    help: 'Duration of each Sora API HTTP attempt, by operation and status code.',
    labelNames: ['operation', 'status'] as const,
    buckets: REQUEST_BUCKETS,
    registers,
  });
  const rateLimited = new Counter({
    name: `${PREFIX}sora_rate_limited_total`,
    help: 'Sora API answers with HTTP 429 Too Many Requests.',
    registers,
  });
  const deliveries = new Counter({
    name: `${PREFIX}deliveries_total`,
    help: 'Deliveries to chat places by platform, kind (video, link, failure) and outcome.',
    labelNames: ['platform', 'kind', 'outcome'] as const,
    registers,
  });
  const completionToDelivery = new Histogram({
    name: `${PREFIX}completion_to_delivery_seconds`,
    help: 'Time from the tracker first seeing a task completed to its video reaching a place.',
    labelNames: ['platform'] as const,
    buckets: DELIVERY_BUCKETS,
    registers,
  });
  const downloadedBytes = new Counter({
    name: `${PREFIX}downloaded_bytes_total`,
    help: 'Bytes of video downloaded from the CDN.',
    registers,
  });
  const downloads = new Counter({
    name: `${PREFIX}downloads_total`,
    help: 'Video downloads by outcome (ok, retry, failed).',
    labelNames: ['outcome'] as const,
    registers,
  });

  const creates = new Counter({
    name: `${PREFIX}creates_total`,
    help: 'Videos asked for from chat, the CLI or the intake, by model and outcome (created, repeated, invalid, not_allowed, limited, refused, in_doubt, error).',
    labelNames: ['model', 'outcome'] as const,
    registers,
  });
  const createdSeconds = new Counter({
    name: `${PREFIX}created_clip_seconds_total`,
    help: 'Seconds of clip of the videos started, by model.',
    labelNames: ['model'] as const,
    registers,
  });

  const clipsKept = new Gauge({
    name: `${PREFIX}clips_kept`,
    help: 'Clips in the clip library.',
    registers,
  });
  const clipBytesKept = new Gauge({
    name: `${PREFIX}clip_bytes_kept`,
    help: 'Bytes of clip in the clip library.',
    registers,
  });
  const clipsSwept = new Counter({
    name: `${PREFIX}clips_swept_total`,
    help: 'Clips removed from the clip library by its sweeps (past retention or over the size cap).',
    registers,
  });

  const shareRequests = new Counter({
    name: `${PREFIX}share_requests_total`,
    help: 'Requests to the share pages of kept clips, by kind (page, video, poster) and status code.',
    labelNames: ['kind', 'status'] as const,
    registers,
  });

  const observer: BotObserver = {
    polled: (outcome) => polls.inc({ outcome }),
    delivered: (platform, kind, outcome) => deliveries.inc({ platform, kind, outcome }),
    deliveredAfterCompletion: (platform, seconds) =>
      completionToDelivery.observe({ platform }, seconds),
    downloaded: (bytes, outcome) => {
      downloads.inc({ outcome });
      if (bytes > 0) downloadedBytes.inc(bytes);
    },
    requestFinished: (operation, status, seconds) =>
      requestSeconds.observe({ operation, status }, seconds),
    rateLimited: () => rateLimited.inc(),
    holding: (clips, bytes) => {
      clipsKept.set(clips);
      clipBytesKept.set(bytes);
    },
    swept: (clips) => clipsSwept.inc(clips),
    shareServed: (kind, status) => shareRequests.inc({ kind, status: String(status) }),
    createFinished: (asked, outcome, clipSeconds) => {
      // A model id comes from whoever asks: only the catalogue's own ids become label values.
      const model = modelInfo(asked).known ? asked : 'other';
      creates.inc({ model, outcome });
      if (outcome === 'created' && clipSeconds !== undefined && clipSeconds > 0) {
        createdSeconds.inc({ model }, clipSeconds);
      }
    },
  };
  return { registry, observer };
}
