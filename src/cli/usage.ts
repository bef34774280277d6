/** What `sora-status --help` prints, and the hint every usage error ends with. */
export const USAGE = `Usage: sora-status <task-id> [--json] [--watch [--out DIR] [--interval SECONDS]] [--verbose]
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

export const HELP_HINT = '(sora-status --help shows how to use it)';
