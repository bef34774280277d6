#!/usr/bin/env node
/**
 * `sora-status`: check a video task of the service (Sora, VEO, Seedance, Grok, …) from a
 * terminal, or follow it and save the video; `sora-status create` starts one (src/cli/create.ts).
 *
 * Exit codes: 0 shown or created (with --watch: completed and saved; with --notify: the bot
 * took it), 1 the task failed or ended otherwise, 2 usage or configuration error or a create
 * request its model does not take, 3 not found, a create the service refused, or an API,
 * network or download error after retries (with --notify: the bot unreachable or answering
 * an error), 4 the API refused the key (with --notify: the bot refused the intake token).
 * Errors are one sentence on stderr.
 */
import { parseArgs } from 'node:util';
import packageJson from '../package.json' with { type: 'json' };
import { followTask, withApiSession } from './cli/api-session.ts';
import { runCreate } from './cli/create.ts';
import { loadEnvFileIfPresent } from './cli/env-file.ts';
import { EXIT, exitCodeFor, sentenceFor, UsageError } from './cli/exit.ts';
import { notifyBot, notifyLine } from './cli/notify.ts';
import { printTask, reportEnding } from './cli/task-output.ts';
import { USAGE } from './cli/usage.ts';
import { SHARED_OPTIONS, type WatchFlags, watchFlags } from './cli/watch-flags.ts';
import { loadIntakeClientConfig } from './config.ts';
import { BadNotifyTarget, parseNotifyTarget } from './intake/notify-target.ts';
import { parseTaskId } from './sora/task.ts';

interface CliOptions extends WatchFlags {
  taskId: string;
  json: boolean;
  verbose: boolean;
  /** With --notify: subscription targets for the running bot's intake, as given. */
  notify: string[];
}

function parseCommandLine(argv: string[]): CliOptions | 'help' | 'version' {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      ...SHARED_OPTIONS,
      notify: { type: 'string', multiple: true },
      version: { type: 'boolean', default: false },
    },
  });
  if (values.help) return 'help';
  if (values.version) return 'version';
  if (positionals.length !== 1) {
    throw new UsageError(positionals.length === 0 ? 'give a task id' : 'give exactly one task id');
  }
  const flags = watchFlags(values);
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
    verbose: values.verbose,
    notify,
    ...flags,
  };
}

async function run(argv: string[]): Promise<number> {
  // A subcommand comes first. Task ids carry a family prefix (vgen_abc123): none is `create`.
  if (argv[0] === 'create') return runCreate(argv.slice(1));
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
  return withApiSession(parsed.verbose, async (session) => {
    if (!parsed.watch) {
      const task = await session.client.getTask(parsed.taskId, session.signal);
      return printTask(task, { json: parsed.json });
    }
    return reportEnding(await followTask(parsed.taskId, session, parsed), parsed.json);
  });
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
