/**
 * A channel's gallery: its kept clips as a grid of posters, newest first, each opening the
 * clip's share page; a plain form filters by model and by words of the prompt (a GET, so a
 * filtered gallery is a link too). Server-rendered, no script; every text escaped.
 */
import { createHash } from 'node:crypto';
import { modelNamedBy } from '../chat/clips-command.ts';
import { clipMatches } from '../chat/clips-listing.ts';
import { displayName, type FamilyId, familyName, familyOf } from '../models/index.ts';
import { cutText, oneLine } from '../text-cut.ts';
import { formatUtc } from '../time-format.ts';
import type { KeptClip } from '../watch/kept-clip.ts';
import { escapeHtml, pageStart } from './html.ts';

export interface GalleryFilter {
  /** A model id or a family ("veo"), as the form's select sends it; empty: every model. */
  model: string;
  /** Words that must all appear in the prompt (any case); empty: no search. */
  search: string;
}

/** The most clips one gallery page shows: posters load lazily, but a page should stay light. */
export const GALLERY_MAX = 200;
const PROMPT_CHARS = 120;

/** The clips of `target`, newest first, that pass the filter. */
export function galleryClips(
  clips: readonly KeptClip[],
  target: string,
  filter: GalleryFilter,
): KeptClip[] {
  const words = filter.search.toLowerCase().split(/\s+/).filter(Boolean);
  // A model the catalogue does not name (an uncatalogued Grok id) is matched by its id.
  const model =
    filter.model === ''
      ? undefined
      : (modelNamedBy(filter.model) ?? {
          kind: 'model' as const,
          id: filter.model,
          word: filter.model,
        });
  return clips.filter(
    (clip) =>
      clip.places.some((place) => place.target === target) && clipMatches(clip, model, words),
  );
}

/**
 * The page. `pageOf` gives each clip's share page, relative to the gallery (so the gallery
 * works behind any host name); `choices` are the model filter's families and models.
 */
export function galleryPage(
  shown: readonly KeptClip[],
  options: {
    filter: GalleryFilter;
    choices: { families: readonly FamilyId[]; models: readonly string[] };
    pageOf: (taskId: string) => string;
  },
): string {
  const { filter, choices, pageOf } = options;
  const cards = shown.slice(0, GALLERY_MAX).map((clip) => {
    const page = pageOf(clip.taskId);
    const model = clip.model === undefined ? 'Unknown model' : displayName(clip.model);
    const prompt = cutText(oneLine(clip.prompt ?? '') || model, PROMPT_CHARS);
    const when = formatUtc(clip.completedAt ?? clip.keptAt);
    return `<li><a href="${escapeHtml(page)}"><img src="${escapeHtml(`${page}.jpg`)}" alt="${escapeHtml(prompt)}" loading="lazy" width="320" height="180"><span class="model">${escapeHtml(model)}</span><span class="prompt">${escapeHtml(prompt)}</span><span class="when">${escapeHtml(when)}</span></a></li>`;
  });
  const values = ['', ...choices.families, ...choices.models];
  const selects = values.map((value) => {
    const label = value === '' ? 'Every model' : labelOf(value, choices.families);
    const selected = value === filter.model ? ' selected' : '';
    return `<option value="${escapeHtml(value)}"${selected}>${escapeHtml(label)}</option>`;
  });
  const empty =
    filter.model === '' && filter.search === ''
      ? 'No clips are kept from this channel yet.'
      : 'No kept clip of this channel matches.';
  return `${pageStart('Clips of the channel', STYLE)}
<h1>Clips of the channel</h1>
<form method="get">
<select name="model" aria-label="Model">${selects.join('')}</select>
<input type="search" name="q" value="${escapeHtml(filter.search)}" placeholder="Words of the prompt" aria-label="Search the prompts">
<button type="submit">Filter</button>
</form>
${cards.length === 0 ? `<p>${escapeHtml(empty)}</p>` : `<ul>\n${cards.join('\n')}\n</ul>`}
</main>
</body>
</html>
`;
}

/** The models of a channel's clips, as filter choices: each family, then each model id. */
export function modelChoicesOf(clips: readonly KeptClip[]): {
  families: FamilyId[];
  models: string[];
} {
  const ids = [...new Set(clips.flatMap((clip) => (clip.model === undefined ? [] : [clip.model])))];
  const families = [...new Set(ids.map((id) => familyOf(id)))].filter((f) => f !== 'other');
  return { families: families.sort(), models: ids.sort() };
}

/** "VEO (all)" for a family, "VEO 3.1 Fast" for a model id. */
function labelOf(value: string, families: readonly FamilyId[]): string {
  const family = families.find((id) => id === value);
  return family !== undefined ? `${familyName(family)} (all)` : displayName(value);
}

const STYLE = [
  'body{margin:0;background:#111;color:#eee;font:16px/1.5 system-ui,sans-serif}',
  'main{max-width:1200px;margin:0 auto;padding:16px}',
  'form{display:flex;gap:8px;flex-wrap:wrap;margin:0 0 16px}',
  'ul{list-style:none;margin:0;padding:0;display:grid;gap:16px;grid-template-columns:repeat(auto-fill,minmax(240px,1fr))}',
  'li a{display:flex;flex-direction:column;color:#eee;text-decoration:none}',
  'img{width:100%;height:auto;aspect-ratio:16/9;object-fit:cover;background:#000}',
  '.model{color:#8cf}.when{color:#aaa;font-size:.85em}',
].join('');

/** The gallery's one inline style, allowed by its hash in the page's CSP. */
export const GALLERY_STYLE_SOURCE = `'sha256-${createHash('sha256').update(STYLE).digest('base64')}'`;
