#!/usr/bin/env node
/**
 * `sora-status`: check a video task of the service (Sora, VEO, Seedance, Grok, …) from a
 * terminal, or follow it and save the video.
 *
 * Exit codes: 0 shown (with --watch: completed and saved; with --notify: the bot took it),
 * 1 the task failed or ended otherwise, 2 usage or configuration error, 3 not found or an
 * API, network or download error after retries (with --notify: the bot unreachable or
 * answering an error), 4 the API refused the key (with --notify: the bot refused the
 * intake token). Errors are one sentence on stderr.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import packageJson from '../package.json' with { type: 'json' };
import { loadEnvFileIfPresent } from './cli/env-file.ts';
import { IntakeFailed, IntakeTokenRefused, notifyBot, notifyLine } from './cli/notify.ts';
import { taskBlock } from './cli/task-text.ts';
import { watchTask } from './cli/watch.ts';
import { systemClock, systemRandom } from './clock.ts';
import { ConfigError, loadConfig, loadIntakeClientConfig } from './config.ts';
import { BadNotifyTarget, parseNotifyTarget } from './intake/notify-target.ts';
import { createLogger } from './log.ts';
import { soraClientFromConfig } from './sora/client.ts';
import { AuthFailed, InvalidTaskId, userMessage } from './sora/errors.ts';
import { isTerminal, parseTaskId, taskProblem } from './sora/task.ts';
import { formatBytes } from './time-format.ts';

const USAGE = `Usage: sora-status <task-id> [--json] [--watch [--out DIR] [--interval SECONDS]] [--verbose]
       sora-status <task-id> --notify PLATFORM:CHANNEL [--notify ...] [--json]

Shows the status of any video task of the service: Sora, VEO, Seedance, Grok,
Vidu or Videos (task ids such as sora_abc123, vgen_abc123, video_abc123).
With --watch, follows it until it ends, printing a line per change, then saves
the video as DIR/<task-id>.mp4 (DIR defaults to the current directory). With
--notify, asks the running bot to announce the task's progress and post the
finished clip in those channels (slack:C0123, discord:123...).

Options:
  --json              print the task as JSON instead of a table
  --watch             keep polling until the task ends, then download the video
  --out DIR           where --watch saves the video
  --interval SECONDS  poll at this fixed interval with --watch (default: an
                      adaptive schedule that polls most when the end is near)
  --notify P:CHANNEL  hand the task to the running bot's intake API, to be
                      announced in this channel (repeat for more channels)
  --verbose           add details to errors and log retries to stderr
  --help, --version

Settings come from the environment or a .env file: SORA_API_KEY is required,
except with --notify, which needs INTAKE_TOKEN (the bot's) and INTAKE_URL (its
address, default http://127.0.0.1:$PORT) instead (see .env.example).

Exit codes: 0 ok, 1 (with --watch) task failed or cancelled, 2 usage error,
3 not found or API/download error (--notify: bot unreachable or answering an
error), 4 API key refused (--notify: intake token refused).`;

const HELP_HINT = '(sora-status --help shows how to use it)';

const EXIT = {
  ok: 0,
  taskFailed: 1,
  usage: 2,
  apiError: 3,
  authFailed: 4,
  interrupted: 130,
} as const;

class UsageError extends Error {}
/** Ctrl-C while waiting: a partial download is removed and nothing is reported as failed. */
class Interrupted extends Error {}

interface CliOptions {
  taskId: string;
  json: boolean;
  watch: boolean;
  outDir: string;
  intervalMs: number | undefined;
  verbose: boolean;
  /** With --notify: subscription targets for the running bot's intake, as given. */
  notify: string[];
}

function parseCommandLine(argv: string[]): CliOptions | 'help' | 'version' {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      json: { type: 'boolean', default: false },
      watch: { type: 'boolean', default: false },
      out: { type: 'string' },
      interval: { type: 'string' },
      verbose: { type: 'boolean', default: false },
      notify: { type: 'string', multiple: true },
      help: { type: 'boolean', short: 'h', default: false },
      version: { type: 'boolean', default: false },
    },
  });
  if (values.help) return 'help';
  if (values.version) return 'version';
  if (positionals.length !== 1) {
    throw new UsageError(positionals.length === 0 ? 'give a task id' : 'give exactly one task id');
  }
  const interval = values.interval === undefined ? undefined : Number(values.interval);
  if (interval !== undefined && !(interval >= 0.1 && interval <= 3600)) {
    throw new UsageError('--interval takes a number of seconds from 0.1 to 3600');
  }
  if (values.out !== undefined && !values.watch) throw new UsageError('--out goes with --watch');
  const notify = values.notify ?? [];
  if (notify.length > 0 && (values.watch || values.interval !== undefined)) {
    throw new UsageError('--notify hands the task to the bot: it goes without --watch');
  }
  for (const channel of notify) {
    try {
      parseNotifyTarget(channel);
    } catch (error) {
      if (error instanceof BadNotifyTarget) throw new UsageError(`--notify ${error.message}`);
      throw error;
    }
  }
  return {
    taskId: parseTaskId(positionals[0] as string),
    json: values.json,
    watch: values.watch,
    outDir: path.resolve(values.out ?? '.'),
    intervalMs: interval === undefined ? undefined : Math.round(interval * 1000),
    verbose: values.verbose,
    notify,
  };
}

async function run(argv: string[]): Promise<number> {
  const parsed = parseCommandLine(argv);
  if (parsed === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return EXIT.ok;
  }
  if (parsed === 'version') {
    process.stdout.write(`${packageJson.version}\n`);
    return EXIT.ok;
  }
  if (parsed.notify.length > 0) {
    const answer = await notifyBot(parsed.taskId, parsed.notify, loadIntakeClientConfig());
    process.stdout.write(
      parsed.json
        ? `${JSON.stringify(answer, null, 2)}\n`
        : `${notifyLine(answer, parsed.notify)}\n`,
    );
    return EXIT.ok;
  }
  const config = loadConfig();
  const logger = createLogger(parsed.verbose ? 'debug' : 'silent', process.stderr);
  const client = soraClientFromConfig(config.sora, logger);
  const stop = new AbortController();
  process.once('SIGINT', () => stop.abort(new Interrupted('interrupted')));
  try {
    if (!parsed.watch) {
      const task = await client.getTask(parsed.taskId, stop.signal);
      process.stdout.write(
        parsed.json ? `${JSON.stringify(task, null, 2)}\n` : `${taskBlock(task, Date.now())}\n`,
      );
      // A script asking "did it work?" reads the exit code: an ending without a video is 1.
      return isTerminal(task.status) && task.status !== 'completed' ? EXIT.taskFailed : EXIT.ok;
    }
    const ending = await watchTask(parsed.taskId, {
      client,
      clock: systemClock,
      random: systemRandom,
      logger,
      intervalMs: parsed.intervalMs,
      outDir: parsed.outDir,
      video: config.video,
      watchMaxAgeMs: config.watchMaxAgeMs,
      print: (line) => process.stdout.write(`${line}\n`),
      signal: stop.signal,
    });
    if (parsed.json) process.stdout.write(`${JSON.stringify(ending, null, 2)}\n`);
    switch (ending.kind) {
      case 'saved':
        process.stdout.write(`Saved ${ending.path} (${formatBytes(ending.bytes)})\n`);
        return EXIT.ok;
      case 'not-saved':
        process.stderr.write(`sora-status: ${ending.problem}\n`);
        return EXIT.apiError;
      case 'ended':
        // What the task itself says (its error, a cancellation) is on its status line already.
        if (ending.task === undefined || taskProblem(ending.task) !== ending.reason) {
          process.stderr.write(`sora-status: ${ending.reason}\n`);
        }
        return EXIT.taskFailed;
    }
  } finally {
    await client.close();
  }
}

function exitCodeFor(error: unknown): number {
  if (error instanceof UsageError || error instanceof InvalidTaskId) return EXIT.usage;
  if (error instanceof ConfigError) return EXIT.usage;
  if ((error as { code?: unknown }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return EXIT.usage;
  if (error instanceof AuthFailed || error instanceof IntakeTokenRefused) return EXIT.authFailed;
  if (error instanceof Interrupted) return EXIT.interrupted;
  return EXIT.apiError;
}

function sentenceFor(error: unknown): string {
  if (error instanceof UsageError) return `${error.message}. ${HELP_HINT}`;
  if (error instanceof ConfigError) return error.problems.join('\n');
  if ((error as { code?: unknown }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    return `${(error as Error).message.split('.')[0]}. ${HELP_HINT}`;
  }
  if (error instanceof Interrupted) return 'stopped.';
  if (error instanceof IntakeTokenRefused || error instanceof IntakeFailed) return error.message;
  return userMessage(error);
}

const verbose = process.argv.includes('--verbose');
try {
  // Settings are read from the environment later (config.ts); `.env` fills in what is unset.
  loadEnvFileIfPresent();
  process.exitCode = await run(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`sora-status: ${sentenceFor(error)}\n`);
  if (verbose && error instanceof Error) {
    process.stderr.write(`${error.stack ?? error.message}\n`);
    if (error.cause) process.stderr.write(`caused by: ${String(error.cause)}\n`);
  }
  process.exitCode = exitCodeFor(error);
}
