/**
 * `/sora-clips` as Block Kit, when the bot serves share pages: the heading, one section per
 * clip (model · length · date, the prompt, a link to its share page) with the poster beside
 * it, then the next page and the gallery. The answer's `text` stays the plain listing, for
 * notifications and for Slack to fall back on.
 *
 * Slack's limits (Block Kit reference): 50 blocks a message, 3000 characters of section text,
 * an image's `alt_text` at most 2000 and its `image_url` at most 3000. Ten clips take twelve
 * blocks; a clip's text holds a prompt cut to `CLIP_PROMPT_MAX` (five times that escaped, at
 * worst), well within a section.
 */
import type { types } from '@slack/bolt';
import type { ClipsPage, ListedClip } from '../../chat/clips-page.ts';
import { cutText } from '../../text-cut.ts';
import { CARD_PROMPT_MAX_CHARS, escapeMrkdwn, quote, slackDate } from './render.ts';

/** The prompt a clip's section quotes, as much as a status card does. */
export const CLIP_PROMPT_MAX = CARD_PROMPT_MAX_CHARS;
/** The heading, the next page and the gallery take two blocks; the rest may be clips. */
const MAX_CLIPS = 48;
const SECTION_TEXT_MAX = 3000;
/** A model's name as Slack shows it; a model id the catalogue does not know may be long. */
const MODEL_NAME_MAX = 100;
/** Enough of the prompt to say what the picture shows. */
const ALT_TEXT_MAX = 200;

export function clipsBlocks(page: ClipsPage): types.KnownBlock[] {
  const blocks: types.KnownBlock[] = [section(escapeMrkdwn(page.heading))];
  for (const clip of page.clips.slice(0, MAX_CLIPS)) blocks.push(clipSection(clip));
  const more: types.MrkdwnElement[] = [];
  if (page.nextPage !== undefined) {
    more.push({ type: 'mrkdwn', text: escapeMrkdwn(page.nextPage) });
  }
  if (page.gallery !== undefined) {
    const gallery = `<${linkTarget(page.gallery)}|All of this channel's clips, as a gallery>`;
    more.push({ type: 'mrkdwn', text: gallery });
  }
  if (more.length > 0) blocks.push({ type: 'context', elements: more });
  return blocks;
}

/** "*VEO 3.1 Fast* · 8 s · <date>", the prompt quoted, and the share page, the poster beside. */
function clipSection(clip: ListedClip): types.SectionBlock {
  const facts = [`*${escapeMrkdwn(cutText(clip.modelName, MODEL_NAME_MAX))}*`];
  if (clip.clipSeconds !== undefined) facts.push(`${clip.clipSeconds} s`);
  facts.push(slackDate(clip.madeAt));
  const prompt =
    clip.prompt === undefined
      ? '_(no prompt)_'
      : quote(cutText(clip.prompt.trim(), CLIP_PROMPT_MAX));
  const link = `<${linkTarget(clip.page)}|Watch and share>`;
  const altText =
    clip.prompt === undefined
      ? `The first frame of ${clip.taskId}`
      : `The first frame of “${cutText(clip.prompt, ALT_TEXT_MAX)}”`;
  return {
    ...section(`${facts.join(' · ')}\n${prompt}\n${link}`),
    accessory: { type: 'image', image_url: clip.poster, alt_text: altText },
  };
}

function section(text: string): types.SectionBlock {
  return { type: 'section', text: { type: 'mrkdwn', text: cutText(text, SECTION_TEXT_MAX) } };
}

/** A URL inside `<…|…>`: the characters that would end it early are dropped. */
function linkTarget(url: string): string {
  return url.replace(/[<>|]/g, '');
}
