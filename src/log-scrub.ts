/**
 * Masks secrets in free text bound for the log (error messages, stack frames, library log
 * lines): links lose their query string, which may be a signature, and path segments that
 * are tokens (Discord webhook and interaction tokens, signed upload links); Slack tokens,
 * Discord bot tokens, Bearer keys and signature parameters are masked wherever they stand.
 */

export const MASK = '[redacted]';

/** Any absolute link, up to a space, a quote or a bracket. */
const LINK = /\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>()[\]{}]+/gi;

/** A webhook or interaction path in text: `/webhooks/<app id>/<token>`, `/interactions/<id>/<token>`. */
const ID_THEN_TOKEN = /(\/(?:webhooks|interactions)\/\d+\/)[^/\s?#"']+/gi;

/** Secrets recognisable by their shape alone, wherever they appear. */
const BARE_SECRETS: readonly RegExp[] = [
  // Slack bot, user and app-level tokens.
  /\bxox[a-z]-[A-Za-z0-9-]+/gi,
  /\bxapp-[A-Za-z0-9-]+/gi,
  // Discord bot tokens: base64 user id, timestamp and HMAC, dot separated.
  /\b[A-Za-z0-9_-]{23,30}\.[A-Za-z0-9_-]{6,7}\.[A-Za-z0-9_-]{27,}/g,
];

/** `Bearer <key>` in a message or a header dump. */
const BEARER = /\b(Bearer\s+)[^\s"',;]+/gi;

/** Signature-like parameters outside a link (a link loses its whole query string). */
const SECRET_PARAMETER =
  /\b((?:sig|signature|x-amz-[a-z-]+|x-goog-[a-z-]+|token|access_token|api_?key|key)=)[^\s&"']+/gi;

/** Segments that follow these (and an id) in a Discord path are tokens. */
const TOKEN_AFTER_ID: ReadonlySet<string> = new Set(['webhooks', 'interactions']);

/** `text` with every link made safe and every recognisable secret masked. */
export function scrubText(text: string): string {
  let scrubbed = text.replace(LINK, (link) => scrubLink(link));
  scrubbed = scrubbed.replace(ID_THEN_TOKEN, `$1${MASK}`);
  for (const secret of BARE_SECRETS) scrubbed = scrubbed.replace(secret, MASK);
  return scrubbed.replace(BEARER, `$1${MASK}`).replace(SECRET_PARAMETER, `$1${MASK}`);
}

/** A link as origin and masked path: no credentials, query string or fragment. */
export function scrubLink(link: string | URL): string {
  const parsed = typeof link === 'string' ? URL.parse(link) : link;
  if (parsed === null) return '[unparseable url]';
  const origin = parsed.origin !== 'null' ? parsed.origin : `${parsed.protocol}//${parsed.host}`;
  return `${origin}${maskPath(parsed.pathname)}`;
}

/** A path with its token segments replaced; the query string, if any, is dropped. */
export function maskPath(path: string): string {
  const segments = (path.split(/[?#]/, 1)[0] ?? '').split('/');
  return segments
    .map((segment, index) => {
      const twoBack = segments[index - 2]?.toLowerCase() ?? '';
      const afterId = TOKEN_AFTER_ID.has(twoBack) && /^\d+$/.test(segments[index - 1] ?? '');
      return afterId || looksLikeToken(segment) ? MASK : segment;
    })
    .join('/');
}

/**
 * A Slack token, or a long mixed-case base64 run such as a signed upload link's key. Ids
 * (snowflakes, `video_68d7…` task ids, hex hashes) are kept: they are not secrets and the
 * log needs them.
 */
function looksLikeToken(segment: string): boolean {
  if (/^(?:xox[a-z]|xapp)-/i.test(segment)) return true;
  return (
    segment.length >= 40 &&
    /^[A-Za-z0-9._~+=%-]+$/.test(segment) &&
    /[A-Z]/.test(segment) &&
    /[a-z]/.test(segment) &&
    /\d/.test(segment)
  );
}
