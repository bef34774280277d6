/**
 * `/sora-clips [mine|all] [model] [search words] [page N]`: which kept clips the asker wants
 * to see. Parsed here, listed in `clips-listing.ts`.
 */
import { FAMILIES, type FamilyId, familyName, MODELS } from '../models/index.ts';
import { CommandError } from './command-error.ts';

/** This channel's clips (the default), the asker's own, or every kept clip. */
export type ClipsScope = 'channel' | 'mine' | 'all';

/** A model named by its id or display name, or a whole family ("veo", "sora"). */
export type ClipsModel =
  | { kind: 'model'; id: string; word: string }
  | { kind: 'family'; family: FamilyId; word: string };

export interface ClipsFilter {
  scope: ClipsScope;
  model?: ClipsModel;
  /** Lower-case words that must all appear in the prompt. */
  words: string[];
  /** From 1. */
  page: number;
}

export const CLIPS_USAGE = '/sora-clips [mine|all] [model] [search words] [page N]';

/** Far past any real library; stops a typo of many digits from reading as a page. */
const MAX_PAGE = 10_000;

export function parseClipsFilter(text: string): ClipsFilter {
  const args = text.trim().split(/\s+/).filter(Boolean);
  const filter: ClipsFilter = { scope: 'channel', words: [], page: 1 };
  const first = args[0]?.toLowerCase();
  if (first === 'mine' || first === 'all') {
    filter.scope = first;
    args.shift();
  }
  // "page N" closes the line, as the listing's own "next page" hint writes it; a "page"
  // before anything but a number ("page turner") is a search word.
  const last = args.length - 1;
  if (args[last]?.toLowerCase() === 'page') {
    throw new CommandError(`Give the page number, like /sora-clips page 2. ${CLIPS_USAGE}`);
  }
  if (args[last - 1]?.toLowerCase() === 'page' && /^[+-]?\d/.test(args[last] as string)) {
    filter.page = pageNumber(args[last] as string);
    args.splice(last - 1, 2);
  }
  for (const word of args) {
    const model = filter.model === undefined ? modelNamedBy(word) : undefined;
    if (model !== undefined) filter.model = model;
    else filter.words.push(word.toLowerCase());
  }
  return filter;
}

function pageNumber(text: string): number {
  const page = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!(page >= 1 && page <= MAX_PAGE)) {
    throw new CommandError(`"${text}" is not a page number; pages count from 1, like page 2.`);
  }
  return page;
}

/** "veo_3_1_fast", "VEO-3.1-Fast" and "veo31fast" all read "veo31fast". */
function normalized(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** The model or family a word names, when it names one the catalogue knows. */
export function modelNamedBy(word: string): ClipsModel | undefined {
  const wanted = normalized(word);
  if (wanted === '') return undefined;
  for (const family of FAMILIES) {
    const names = [family.id, family.displayName, familyName(family.id)].map(normalized);
    if (names.includes(wanted)) return { kind: 'family', family: family.id, word };
  }
  for (const [id, entry] of Object.entries(MODELS)) {
    if (normalized(id) === wanted || normalized(entry.displayName) === wanted) {
      return { kind: 'model', id, word };
    }
  }
  return undefined;
}

/** The command that shows `page` of the same clips, for the listing's last line. */
export function clipsCommandText(filter: ClipsFilter, page: number): string {
  const parts = ['/sora-clips'];
  if (filter.scope !== 'channel') parts.push(filter.scope);
  if (filter.model !== undefined) parts.push(filter.model.word);
  parts.push(...filter.words, 'page', String(page));
  return parts.join(' ');
}
