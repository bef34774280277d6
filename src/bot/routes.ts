/**
 * Every HTTP route of a running bot, on one port (`PORT`): the probes, `/metrics`, the
 * intake API when INTAKE_TOKEN is set, and the clips' share pages when PUBLIC_URL is set. Slack's receiver hosts them in HTTP mode; the bot's
 * own server otherwise.
 */

import type { ChatAdapter } from '../chat/port.ts';
import type { Config } from '../config.ts';
import type { Creator } from '../create/creator.ts';
import { type HttpRoute, NotReady, probeRoutes } from '../http/routes.ts';
import { type IntakeService, intakeRoutes } from '../intake/routes.ts';
import type { Logger } from '../log.ts';
import type { BotMetrics } from '../metrics/registry.ts';
import { metricsRoute } from '../metrics/route.ts';
import type { TimingsStore } from '../schedule/index.ts';
import type { ClipLibrary } from '../watch/kept-clip.ts';
import { clipRoutes } from '../web/routes.ts';

export interface BotRouteParts {
  config: Config;
  /** Read once per readiness probe: one small document tells whether the store answers. */
  store: Pick<TimingsStore, 'getTimings'>;
  metrics: BotMetrics;
  logger: Logger;
  /** Read at request time: the adapters are built with these routes, so after them. */
  adapters: () => readonly ChatAdapter[];
  /** Read at request time, like the adapters. */
  intake: () => IntakeService;
  /** Read at request time: makes videos for `POST /v1/videos`. */
  creator: () => Creator;
  /** True from the first stop signal on. */
  stopping: () => boolean;
  /** The kept clips; the share pages are served only with them (and PUBLIC_URL). */
  clipLibrary?: ClipLibrary;
}

export function botRoutes(parts: BotRouteParts): HttpRoute[] {
  const { config } = parts;
  // Ready: taking commands, the store answers, and every platform's connection is up.
  const routes = probeRoutes({
    accepting: async () => {
      if (parts.stopping()) throw new NotReady('stopping');
    },
    store: () => parts.store.getTimings().then(() => undefined),
    adapters: async () => {
      const down = parts.adapters().filter((adapter) => !adapter.connected());
      if (down.length > 0) {
        throw new NotReady(`not connected: ${down.map((a) => a.platform).join(', ')}`);
      }
    },
  });
  routes.push(metricsRoute(parts.metrics.registry));
  // config.ts makes sure a chat platform runs when the intake is on.
  if (config.intake) {
    routes.push(
      ...intakeRoutes({
        token: config.intake.token,
        defaultNotify: config.intake.defaultNotify,
        platforms: [config.slack && 'slack', config.discord && 'discord'].filter(
          (platform) => typeof platform === 'string',
        ),
        service: {
          watch: (taskId, origin, known) => parts.intake().watch(taskId, origin, known),
          find: (taskId) => parts.intake().find(taskId),
          create: (request, origins, key) => parts.creator().create(request, origins, key),
        },
        accepting: () => !parts.stopping(),
        logger: parts.logger,
      }),
    );
  }
  if (config.share && parts.clipLibrary) {
    routes.push(
      ...clipRoutes({
        publicUrl: config.share.publicUrl,
        secret: config.share.linkSecret,
        library: parts.clipLibrary,
        logger: parts.logger,
        observer: parts.metrics.observer,
      }),
    );
  }
  return routes;
}
