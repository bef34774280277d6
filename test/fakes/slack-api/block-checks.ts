/**
 * The fake Slack's checks of a message's blocks, as Slack makes them before posting (Block Kit
 * reference): at most 50 blocks; a section's text at most 3000 characters; an image accessory
 * with its `image_url` (at most 3000 characters, on a host Slack can download from when the
 * test names them) and its `alt_text` (at most 2000); and the video block: `video_url`,
 * `thumbnail_url`, `alt_text` and a plain-text `title` are required; `title` and `description`
 * must be under 200 characters and `author_name` under 50; `video_url` must be HTTPS on one of
 * the app's unfurl domains. Each problem is worded like Slack's, with a JSON pointer to its
 * field; any problem makes the call answer `invalid_blocks` and post nothing.
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

/** What Slack can reach: the app's unfurl domains, and the hosts it can fetch images from. */
export interface BlockCheckOptions {
  unfurlDomains: readonly string[];
  /** Hosts whose images Slack can download; absent, every host. */
  imageHosts?: readonly string[];
}

const MAX_BLOCKS = 50;
const MAX_SECTION_TEXT = 3000;
const MAX_IMAGE_URL = 3000;
const MAX_ALT_TEXT = 2000;

/** Every problem of `blocks`; none for blocks Slack would take. */
export function blockProblems(blocks: unknown[], options: BlockCheckOptions): string[] {
  const problems =
    blocks.length > MAX_BLOCKS
      ? [`no more than ${MAX_BLOCKS} items allowed [json-pointer:/blocks]`]
      : [];
  return problems.concat(
    blocks.flatMap((block, index) => {
      if (!isRecord(block)) return [];
      const at = `/blocks/${index}`;
      if (block.type === 'video') return videoProblems(block, at, options.unfurlDomains);
      if (block.type === 'section') return sectionProblems(block, at, options);
      return [];
    }),
  );
}

function sectionProblems(
  block: Record<string, unknown>,
  at: string,
  options: BlockCheckOptions,
): string[] {
  const problems: string[] = [];
  const text = isRecord(block.text) ? block.text.text : undefined;
  if (typeof text === 'string' && text.length > MAX_SECTION_TEXT) {
    problems.push(
      `must be less than ${MAX_SECTION_TEXT + 1} characters [json-pointer:${at}/text/text]`,
    );
  }
  const accessory = block.accessory;
  if (isRecord(accessory) && accessory.type === 'image') {
    problems.push(...imageProblems(accessory, `${at}/accessory`, options.imageHosts));
  }
  return problems;
}

function imageProblems(
  image: Record<string, unknown>,
  at: string,
  imageHosts: readonly string[] | undefined,
): string[] {
  const problems: string[] = [];
  for (const [field, most] of [
    ['image_url', MAX_IMAGE_URL],
    ['alt_text', MAX_ALT_TEXT],
  ] as const) {
    const value = image[field];
    if (typeof value !== 'string' || value === '') {
      problems.push(`missing required field: ${field} [json-pointer:${at}]`);
    } else if (value.length > most) {
      problems.push(`must be less than ${most + 1} characters [json-pointer:${at}/${field}]`);
    }
  }
  if (typeof image.image_url === 'string' && image.image_url !== '') {
    const url = URL.parse(image.image_url);
    if (url === null || !/^https?:$/.test(url.protocol)) {
      problems.push(`invalid_url [json-pointer:${at}/image_url]`);
    } else if (imageHosts !== undefined && !imageHosts.includes(url.hostname)) {
      problems.push(`downloading image failed [json-pointer:${at}/image_url]`);
    }
  }
  return problems;
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
