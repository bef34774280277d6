/**
 * What `/sora-clips` answers: the kept clips the filter picks, newest first, ten a page, one
 * line each with the model, length, when it was made, the prompt and a link to watch it; with
 * share pages, the same page in parts (clips-page.ts) for chats that show posters.
 */
import { displayName, familyName, familyOf } from '../models/index.ts';
import { oneLine } from '../text-cut.ts';
import { formatUtc } from '../time-format.ts';
import type { KeptClip } from '../watch/kept-clip.ts';
import { type ClipsFilter, type ClipsModel, clipsCommandText } from './clips-command.ts';
import { type ClipsPage, type ListedClip, posterLink } from './clips-page.ts';
import type { ClipShelf } from './command-services.ts';
import type { CommandOrigin } from './commands.ts';
import { platformOf } from './port.ts';

export const CLIPS_PER_PAGE = 10;
/** Long enough to recognise a prompt, short enough for ten lines to fit a chat message. */
const PROMPT_CHARS = 80;

/** The listing's text, and its parts when every clip shown has a share page. */
export interface ClipsAnswer {
  text: string;
  page?: ClipsPage;
}

export async function clipsListing(
  shelf: ClipShelf,
  filter: ClipsFilter,
  origin: CommandOrigin,
): Promise<ClipsAnswer> {
  if (filter.scope === 'mine' && origin.requester === undefined) {
    return { text: 'Only a chat user has clips of their own; try /sora-clips all.' };
  }
  const clips = (await shelf.list()).filter((clip) => picks(filter, origin, clip));
  if (clips.length === 0) return { text: `No kept clips ${description(filter)}.` };
  const pages = Math.ceil(clips.length / CLIPS_PER_PAGE);
  if (filter.page > pages) {
    const count = pages === 1 ? 'one page' : `${pages} pages`;
    return {
      text: `There is no page ${filter.page}: the clips ${description(filter)} fill ${count}.`,
    };
  }
  const shown = clips
    .slice((filter.page - 1) * CLIPS_PER_PAGE, filter.page * CLIPS_PER_PAGE)
    .map((clip) => ({ clip, sharePage: shelf.shareLink?.(clip.taskId) }));
  const noun = clips.length === 1 ? 'clip' : 'clips';
  const heading = `${clips.length} kept ${noun} ${description(filter)}, newest first:`;
  const nextPage =
    filter.page < pages
      ? `page ${filter.page} of ${pages}: ${clipsCommandText(filter, filter.page + 1)}`
      : undefined;
  const gallery = filter.scope === 'channel' ? shelf.galleryLink?.(origin.target) : undefined;
  const lines = [heading, ...shown.map(({ clip, sharePage }) => clipLine(clip, sharePage))];
  if (nextPage !== undefined) lines.push(nextPage);
  if (gallery !== undefined) lines.push(`All of this channel's clips, as a gallery: ${gallery}`);
  const answer: ClipsAnswer = { text: lines.join('\n') };
  // Cards only when each has its page and poster: a listing half cards, half lines reads worse.
  const listed = shown.flatMap(({ clip, sharePage }) =>
    sharePage === undefined ? [] : [listedClip(clip, sharePage)],
  );
  if (listed.length === shown.length) {
    answer.page = { heading, clips: listed };
    if (nextPage !== undefined) answer.page.nextPage = nextPage;
    if (gallery !== undefined) answer.page.gallery = gallery;
  }
  return answer;
}

function picks(filter: ClipsFilter, origin: CommandOrigin, clip: KeptClip): boolean {
  return inScope(filter, origin, clip) && clipMatches(clip, filter.model, filter.words);
}

/**
 * Whether a clip is of `model` (a model or a whole family; any when absent) and its prompt
 * holds every one of `words` (lower case): the filter of `/sora-clips` and of the gallery.
 */
export function clipMatches(
  clip: KeptClip,
  model: ClipsModel | undefined,
  words: readonly string[],
): boolean {
  return ofModel(model, clip) && hasWords(words, clip);
}

function inScope(filter: ClipsFilter, origin: CommandOrigin, clip: KeptClip): boolean {
  switch (filter.scope) {
    case 'all':
      return true;
    case 'channel':
      return clip.places.some((place) => place.target === origin.target);
    case 'mine': {
      // Requester ids are the platform's own: the same id elsewhere is someone else.
      const platform = platformOf(origin.target);
      return clip.places.some(
        (place) =>
          platformOf(place.target) === platform &&
          origin.requester !== undefined &&
          place.requesters.includes(origin.requester),
      );
    }
  }
}

function ofModel(wanted: ClipsModel | undefined, clip: KeptClip): boolean {
  if (wanted === undefined) return true;
  if (clip.model === undefined) return false;
  return wanted.kind === 'model'
    ? clip.model === wanted.id
    : familyOf(clip.model) === wanted.family;
}

function hasWords(words: readonly string[], clip: KeptClip): boolean {
  const prompt = (clip.prompt ?? '').toLowerCase();
  return words.every((word) => prompt.includes(word));
}

/** "in this channel, made with VEO, with “cat” in the prompt". */
function description(filter: ClipsFilter): string {
  const parts = [
    { channel: 'in this channel', mine: 'you asked for', all: 'in the library' }[filter.scope],
  ];
  const model = filter.model;
  if (model !== undefined) {
    const name = model.kind === 'model' ? displayName(model.id) : familyName(model.family);
    parts.push(`made with ${name}`);
  }
  if (filter.words.length > 0) {
    parts.push(`with ${filter.words.map((word) => `“${word}”`).join(' and ')} in the prompt`);
  }
  return parts.join(', ');
}

/** "• VEO 3.1 Fast, 8 s, 2026-12-01 10:00 UTC: “a kite over the sea” <link>". */
function clipLine(clip: KeptClip, shareLink: string | undefined): string {
  const facts = [modelNameOf(clip)];
  if (clip.clipSeconds !== undefined) facts.push(`${clip.clipSeconds} s`);
  facts.push(formatUtc(madeAt(clip)));
  const prompt = clip.prompt === undefined ? '(no prompt)' : `“${shortPrompt(clip.prompt)}”`;
  const link = shareLink ?? clip.places[0]?.link;
  return `• ${facts.join(', ')}: ${prompt}${link === undefined ? '' : ` ${link}`}`;
}

/** The clip as a card shows it: with its share page and poster, the prompt whole. */
function listedClip(clip: KeptClip, sharePage: string): ListedClip {
  const listed: ListedClip = {
    taskId: clip.taskId,
    modelName: modelNameOf(clip),
    madeAt: madeAt(clip),
    page: sharePage,
    poster: posterLink(sharePage),
  };
  if (clip.clipSeconds !== undefined) listed.clipSeconds = clip.clipSeconds;
  const prompt = oneLine(clip.prompt ?? '');
  if (prompt !== '') listed.prompt = prompt;
  return listed;
}

function modelNameOf(clip: KeptClip): string {
  return clip.model === undefined ? 'unknown model' : displayName(clip.model);
}

function madeAt(clip: KeptClip): number {
  return clip.completedAt ?? clip.keptAt;
}

/** One line of at most `PROMPT_CHARS`, cut with an ellipsis. */
function shortPrompt(prompt: string): string {
  const line = oneLine(prompt);
  return line.length <= PROMPT_CHARS ? line : `${line.slice(0, PROMPT_CHARS - 1).trimEnd()}…`;
}
