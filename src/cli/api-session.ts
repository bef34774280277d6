/**
 * The command line's time with the API: the client from the settings, Ctrl-C turned into an
 * abort, the client closed however the work ends; and a task followed with the bot's tracker.
 */
import { systemClock, systemRandom } from '../clock.ts';
import { type Config, loadConfig } from '../config.ts';
import { createLogger, type Logger } from '../log.ts';
import { type SoraClient, soraClientFromConfig } from '../sora/client.ts';
import type { WatchEnding } from './cli-adapter.ts';
import { Interrupted } from './exit.ts';
import { type KnownOfTask, watchTask } from './watch.ts';
import type { WatchFlags } from './watch-flags.ts';

export interface ApiSession {
  client: SoraClient;
  config: Config;
  logger: Logger;
  /** Aborted by Ctrl-C, with `Interrupted` as its reason. */
  signal: AbortSignal;
}

/** Loads the settings (a `ConfigError` if they are wrong) and runs `work` with a client. */
export async function withApiSession<T>(
  verbose: boolean,
  work: (session: ApiSession) => Promise<T>,
): Promise<T> {
  const config = loadConfig();
  const logger = createLogger(verbose ? 'debug' : 'silent', process.stderr);
  const client = soraClientFromConfig(config.sora, logger);
  const stop = new AbortController();
  process.once('SIGINT', () => stop.abort(new Interrupted('interrupted')));
  try {
    return await work({ client, config, logger, signal: stop.signal });
  } finally {
    await client.close();
  }
}

/** Follows the task to its end, a line per change on stdout, and saves the clip. */
export function followTask(
  taskId: string,
  session: ApiSession,
  flags: WatchFlags,
  known: KnownOfTask = {},
): Promise<WatchEnding> {
  return watchTask(taskId, {
    client: session.client,
    clock: systemClock,
    random: systemRandom,
    logger: session.logger,
    intervalMs: flags.intervalMs,
    outDir: flags.outDir,
    video: session.config.video,
    watchMaxAgeMs: session.config.watchMaxAgeMs,
    print: (line) => process.stdout.write(`${line}\n`),
    signal: session.signal,
    known,
  });
}
