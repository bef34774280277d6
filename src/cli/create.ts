/**
 * `sora-status create`: starts a video at the service and prints the new task, or follows it
 * like `sora-status <id> --watch`. Every problem of the request is reported, each naming its
 * option, before anything is sent; a create whose answer never came says which key to send
 * again, so asking twice does not make two videos where the service honours the key.
 */
import { checkCreateRequest } from '../models/index.ts';
import { isIdempotencyKey } from '../sora/create-params.ts';
import { surelyRefused } from '../sora/errors.ts';
import type { VideoTask } from '../sora/task.ts';
import { type ApiSession, followTask, withApiSession } from './api-session.ts';
import { type CreateCommandLine, optionOf, parseCreateCommandLine } from './create-args.ts';
import { CreateUnanswered, EXIT } from './exit.ts';
import { printTask, reportEnding } from './task-output.ts';
import { USAGE } from './usage.ts';

/** Runs the words after `create`; returns the exit code, or throws an error that picks one. */
export async function runCreate(argv: string[]): Promise<number> {
  const parsed = parseCreateCommandLine(argv);
  if (parsed === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return EXIT.ok;
  }
  const checked = checkCreateRequest(parsed.request);
  const problems = checked.ok
    ? []
    : checked.problems.map((problem) => `${optionOf(problem.field)}: ${problem.message}`);
  if (parsed.keyGiven && !isIdempotencyKey(parsed.key)) {
    problems.push('--key: a key is 1 to 255 printable characters without spaces');
  }
  if (!checked.ok || problems.length > 0) {
    for (const problem of problems) process.stderr.write(`sora-status: ${problem}\n`);
    return EXIT.usage;
  }
  const { clipSeconds } = checked.create;
  // The key goes into every JSON answer: whoever scripts a create can send it again.
  const extra = { idempotencyKey: parsed.key };

  return withApiSession(parsed.verbose, async (session) => {
    const task = await createOnce(parsed, session);
    if (!parsed.watch) {
      // Not "add --watch": the same command again would start a second video.
      const next = `sora-status ${task.id} --watch follows it and saves the video`;
      return printTask(task, { json: parsed.json, extra, next });
    }
    // The id, should the wait be cut short: `sora-status <id> --watch` takes it up again.
    process.stdout.write(`Created ${task.id}\n`);
    const known = clipSeconds === undefined ? {} : { clipSeconds };
    return reportEnding(await followTask(task.id, session, parsed, known), parsed.json, extra);
  });
}

async function createOnce(parsed: CreateCommandLine, session: ApiSession): Promise<VideoTask> {
  if (parsed.verbose) {
    // Said before the request goes out, so it is on screen however the request ends.
    process.stderr.write(`sora-status: sending the create with idempotency key ${parsed.key}\n`);
  }
  try {
    return await session.client.createTask(parsed.request, {
      idempotencyKey: parsed.key,
      signal: session.signal,
    });
  } catch (error) {
    if (surelyRefused(error)) throw error;
    throw new CreateUnanswered(parsed.key, error);
  }
}
