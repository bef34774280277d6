/**
 * The shape of the bot's own HTTP routes (the one Bolt's receiver takes as custom routes, so
 * they share Slack's port in HTTP mode and get a small server of their own otherwise, see
 * server.ts), and the probes: `/healthz` and `/readyz`. bot-routes.ts puts them all together.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface HttpRoute {
  path: string;
  method: string[];
  handler: (req: IncomingMessage, res: ServerResponse) => void;
}

export interface Readiness {
  ready: boolean;
  /** What was checked, and how it went, for the operator. */
  checks: Record<string, 'ok' | string>;
}

/** A failed readiness check whose message is safe to show (no URL, no credential). */
export class NotReady extends Error {}

/** How long a readiness check may take before it counts as failed. */
const CHECK_TIMEOUT_MS = 2_000;

/**
 * `/healthz`: the process is up (no dependency is asked). `/readyz`: the dependencies
 * answer, so traffic may come; 503 with the failed check otherwise.
 */
export function probeRoutes(checks: Record<string, () => Promise<void>>): HttpRoute[] {
  return [
    {
      path: '/healthz',
      method: ['GET'],
      handler: (_req, res) => sendJson(res, 200, { status: 'ok' }),
    },
    {
      path: '/readyz',
      method: ['GET'],
      handler: (_req, res) => {
        void readiness(checks).then((result) => sendJson(res, result.ready ? 200 : 503, result));
      },
    },
  ];
}

export async function readiness(checks: Record<string, () => Promise<void>>): Promise<Readiness> {
  const entries = await Promise.all(
    Object.entries(checks).map(async ([name, check]) => {
      try {
        await Promise.race([
          check(),
          new Promise((_, reject) =>
            setTimeout(() => reject(new Error('timed out')), CHECK_TIMEOUT_MS).unref(),
          ),
        ]);
        return [name, 'ok'] as const;
      } catch (error) {
        // Other errors by name only: their messages may hold a URL or a credential.
        if (error instanceof NotReady) return [name, error.message] as const;
        return [name, error instanceof Error ? error.name : 'failed'] as const;
      }
    }),
  );
  return {
    ready: entries.every(([, state]) => state === 'ok'),
    checks: Object.fromEntries(entries),
  };
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(`${JSON.stringify(body)}\n`);
}
