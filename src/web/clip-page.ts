/**
 * The share page of one kept clip: the player, what was asked, and the tags that make chat
 * apps and social sites unfurl it as a playable video. Every piece of text from the clip is
 * escaped; the page loads nothing but its own clip and poster (see the CSP in routes.ts).
 */
import { createHash } from 'node:crypto';
import { displayName } from '../models/index.ts';
import { formatUtc } from '../time-format.ts';
import type { KeptClip } from '../watch/kept-clip.ts';
import { escapeHtml, pageStart } from './html.ts';

export interface ClipPageLinks {
  /** The page's own absolute URL (`PUBLIC_URL/clips/<token>`). */
  page: string;
  /** Absolute URLs of the clip and its poster, for the tags read by other sites. */
  video: string;
  poster: string;
  /** The same, relative to the page, for the player: they work behind any host name. */
  videoPath: string;
  posterPath: string;
}

/** Unfurls cut longer text anyway; the page itself shows the whole prompt. */
const DESCRIPTION_MAX = 200;
/**
 * The player size announced to unfurlers. The page does not know the clip's frame size;
 * 16:9 is the service's default and the player letterboxes the others.
 */
const PLAYER = { width: 1280, height: 720 } as const;

export function clipPage(clip: KeptClip, links: ClipPageLinks): string {
  const model = clip.model === undefined ? 'Sora' : displayName(clip.model);
  const title = `${model} clip`;
  const prompt = clip.prompt?.trim() || undefined;
  const description = prompt === undefined ? `A video made with ${model}.` : shorten(prompt);
  const meta = (attribute: 'property' | 'name', key: string, value: string) =>
    `<meta ${attribute}="${key}" content="${escapeHtml(value)}">`;
  const tags = [
    meta('property', 'og:title', title),
    meta('property', 'og:description', description),
    meta('property', 'og:type', 'video.other'),
    meta('property', 'og:url', links.page),
    meta('property', 'og:image', links.poster),
    meta('property', 'og:video', links.video),
    meta('property', 'og:video:secure_url', links.video),
    meta('property', 'og:video:type', 'video/mp4'),
    meta('property', 'og:video:width', String(PLAYER.width)),
    meta('property', 'og:video:height', String(PLAYER.height)),
    meta('name', 'twitter:card', 'player'),
    meta('name', 'twitter:title', title),
    meta('name', 'twitter:description', description),
    meta('name', 'twitter:image', links.poster),
    meta('name', 'twitter:player', links.page),
    meta('name', 'twitter:player:width', String(PLAYER.width)),
    meta('name', 'twitter:player:height', String(PLAYER.height)),
    meta('name', 'twitter:player:stream', links.video),
    meta('name', 'twitter:player:stream:content_type', 'video/mp4'),
  ];
  const facts = [
    ['Model', model],
    ...(clip.clipSeconds === undefined ? [] : [['Length', `${clip.clipSeconds} s`]]),
    ...askedBy(clip).map((who) => ['Asked by', who]),
    ['Made', formatUtc(clip.createdAt ?? clip.completedAt ?? clip.keptAt)],
  ];
  return `${pageStart(title, STYLE, tags)}
<video controls playsinline preload="metadata" poster="${escapeHtml(links.posterPath)}" src="${escapeHtml(links.videoPath)}"></video>
${prompt === undefined ? '' : `<p class="prompt">${escapeHtml(prompt)}</p>`}
<dl>
${facts.map(([term, value]) => `<dt>${escapeHtml(term ?? '')}</dt><dd>${escapeHtml(value ?? '')}</dd>`).join('\n')}
</dl>
<p><a href="${escapeHtml(links.videoPath)}" download>Download the video</a></p>
</main>
</body>
</html>
`;
}

function shorten(text: string): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length <= DESCRIPTION_MAX ? flat : `${flat.slice(0, DESCRIPTION_MAX - 1)}…`;
}

/**
 * Who asked, as far as a public page should say: names given from outside the chat as they
 * are, chat people by platform only (their ids mean nothing outside and are not the page's to
 * publish).
 */
function askedBy(clip: KeptClip): string[] {
  const named = clip.requestedBy ?? [];
  const chatPeople = new Map<string, Set<string>>();
  for (const place of clip.places) {
    const platform = place.target.slice(0, place.target.indexOf(':'));
    const people = chatPeople.get(platform) ?? new Set<string>();
    for (const person of place.requesters) people.add(person);
    chatPeople.set(platform, people);
  }
  const inChat = [...chatPeople]
    .filter(([, people]) => people.size > 0)
    .map(([platform, people]) => {
      const where = PLATFORM_NAMES[platform] ?? platform;
      return people.size === 1 ? `someone on ${where}` : `${people.size} people on ${where}`;
    });
  return [...named, ...inChat];
}

const PLATFORM_NAMES: Record<string, string> = { slack: 'Slack', discord: 'Discord' };

const STYLE = [
  'body{margin:0;background:#111;color:#eee;font:16px/1.5 system-ui,sans-serif}',
  'main{max-width:960px;margin:0 auto;padding:16px}',
  'video{width:100%;max-height:80vh;background:#000}',
  '.prompt{white-space:pre-wrap;font-size:1.1em}',
  'dl{display:grid;grid-template-columns:max-content 1fr;gap:4px 16px}',
  'dt{color:#aaa}dd{margin:0}a{color:#8cf}',
].join('');

/** The page's one inline style, allowed by its hash in the page's CSP (no 'unsafe-inline'). */
export const STYLE_SOURCE = `'sha256-${createHash('sha256').update(STYLE).digest('base64')}'`;
