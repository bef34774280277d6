/**
 * The fake Slack's checks of a message's blocks, as Slack makes them before posting: for now
 * the video block (Block Kit reference): `video_url`, `thumbnail_url`, `alt_text` and a
 * plain-text `title` are required; `title` and `description` must be under 200 characters and
 * `author_name` under 50; `video_url` must be HTTPS on one of the app's unfurl domains. Each
 * problem is worded like Slack's, with a JSON pointer to its field; any problem makes the call
 * answer `invalid_blocks` and post nothing.
 */

/** What Slack answers a message whose blocks break its rules. */
export function invalidBlocksAnswer(problems: readonly string[]): Record<string, unknown> {
  return {
    ok: false,
    error: 'invalid_blocks',
    errors: problems,
    response_metadata: { messages: problems.map((problem) => `[ERROR] ${problem}`) },
  };
}

/** Every problem of `blocks`; none for blocks Slack would take. */
export function blockProblems(blocks: unknown[], unfurlDomains: readonly string[]): string[] {
  return blocks.flatMap((block, index) =>
    isRecord(block) && block.type === 'video'
      ? videoProblems(block, `/blocks/${index}`, unfurlDomains)
      : [],
  );
}

function videoProblems(
  block: Record<string, unknown>,
  at: string,
  unfurlDomains: readonly string[],
): string[] {
  const problems: string[] = [];
  for (const field of ['video_url', 'thumbnail_url', 'alt_text']) {
    if (typeof block[field] !== 'string' || block[field] === '') {
      problems.push(`missing required field: ${field} [json-pointer:${at}]`);
    }
  }
  const title = plainText(block.title);
  if (title === undefined) {
    problems.push(`missing required field: title [json-pointer:${at}]`);
  } else if (title.length >= 200) {
    problems.push(`must be less than 200 characters [json-pointer:${at}/title/text]`);
  }
  const description = block.description === undefined ? undefined : plainText(block.description);
  if (block.description !== undefined && description === undefined) {
    problems.push(`must be a plain_text object [json-pointer:${at}/description]`);
  } else if (description !== undefined && description.length >= 200) {
    problems.push(`must be less than 200 characters [json-pointer:${at}/description/text]`);
  }
  if (typeof block.author_name === 'string' && block.author_name.length >= 50) {
    problems.push(`must be less than 50 characters [json-pointer:${at}/author_name]`);
  }
  if (typeof block.video_url === 'string' && block.video_url !== '') {
    const url = URL.parse(block.video_url);
    if (url?.protocol !== 'https:') {
      problems.push(`must be an https url [json-pointer:${at}/video_url]`);
    } else if (!unfurlDomains.some((domain) => onDomain(url.hostname, domain))) {
      problems.push(`url domain is not an unfurl domain of the app [json-pointer:${at}/video_url]`);
    }
  }
  return problems;
}

/** The text of a `{ type: 'plain_text', text }` object; undefined for anything else. */
function plainText(value: unknown): string | undefined {
  if (!isRecord(value) || value.type !== 'plain_text' || typeof value.text !== 'string') {
    return undefined;
  }
  return value.text;
}

/** An unfurl domain covers itself and its subdomains. */
function onDomain(host: string, domain: string): boolean {
  return host === domain || host.endsWith(`.${domain}`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
