/** What `sora-status --help` prints, and the hint every usage error ends with. */
import { DEFAULT_CREATE_MODEL } from '../chat/create-command.ts';
import { creatableModels } from '../models/index.ts';

/** The models `create` takes, from the catalogue, wrapped to the help's width. */
function creatableModelLines(indent: string, width = 80): string {
  const lines: string[] = [];
  let line = '';
  for (const model of creatableModels()) {
    const word = `${model.id},`;
    if (line !== '' && indent.length + line.length + 1 + word.length > width) {
      lines.push(line);
      line = '';
    }
    line = line === '' ? word : `${line} ${word}`;
  }
  lines.push(line.replace(/,$/, ''));
  return lines.map((text) => `${indent}${text}`).join('\n');
}

export const USAGE = `Usage: sora-status <task-id> [--json] [--watch [--out DIR] [--interval SECONDS]] [--verbose]
       sora-status <task-id> --notify PLATFORM:CHANNEL [--notify ...] [--json]
       sora-status create "<prompt>" [--model M] [--seconds N] [--size WxH | --aspect 16:9]
           [--resolution R] [--image URL ...] [--key KEY] [--json]
           [--watch [--out DIR] [--interval SECONDS]] [--verbose]

Shows the status of any video task of the service: Sora, VEO, Seedance, Grok,
Vidu or Videos (task ids such as sora_abc123, vgen_abc123, video_abc123).
With --watch, follows it until it ends, printing a line per change, then saves
the video as DIR/<task-id>.mp4 (DIR defaults to the current directory). With
--notify, asks the running bot to announce the task's progress and post the
finished clip in those channels (slack:C0123, discord:123...).

create starts a new video and prints its task, or follows it with --watch as
above. The request is checked against the model's rules first: each problem is
named and nothing is sent.

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

Options of create:
  --model M           the model (default ${DEFAULT_CREATE_MODEL}), one of
${creatableModelLines('                      ')}
  --seconds N         the clip length (Sora: 4, 8 or 12; VEO clips are 8 s)
  --size WxH          Sora only: 720x1280 or 1280x720
  --aspect R          9:16 or 16:9 (for Sora, instead of --size)
  --resolution R      VEO only: 720p (default), 1080p or 4K
  --image URL         a reference image (repeat for more, as the model allows)
  --key KEY           the Idempotency-Key sent (default a new UUID, shown with
                      --verbose and --json): sending a key again asks for the
                      same video rather than a second one, where the service
                      honours it

Settings come from the environment or a .env file: SORA_API_KEY is required,
except with --notify, which needs INTAKE_TOKEN (the bot's) and INTAKE_URL (its
address, default http://127.0.0.1:$PORT) instead (see .env.example).

Exit codes: 0 ok, 1 (with --watch) task failed or cancelled, 2 usage error or a
create request its model does not take, 3 not found, create refused by the
service (content, balance, rate limit) or API/download error (--notify: bot
unreachable or answering an error), 4 API key refused (--notify: intake token
refused).`;

export const HELP_HINT = '(sora-status --help shows how to use it)';
