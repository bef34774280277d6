/**
 * `/sora-clips` on Discord when the bot serves share pages: one embed per clip (the model and
 * length as its title, linked to the share page; the prompt; the poster as its thumbnail; the
 * date as its timestamp, which each reader sees in their own time zone), and as the message
 * the heading, the next page and the gallery. The clips' lines are left out of the message:
 * the embeds say the same, and their links there would each unfold into a player.
 *
 * Discord's limits: 10 embeds a message, a title of 256 characters, a description of 4096,
 * and 6000 characters over all the embeds' text. A clip's embed holds at most 402 (a title
 * of `TITLE_MAX`, the prompt's `PROMPT_MAX` and its quotes), so ten stay under 4100.
 */
import type { APIEmbed } from 'discord.js';
import type { ClipsPage, ListedClip } from '../../chat/clips-page.ts';
import { cutText } from '../../text-cut.ts';

const MAX_EMBEDS = 10;
/** A model's name and length; a model id the catalogue does not know may be long. */
const TITLE_MAX = 100;
/** The prompt, as much as a status card shows, in quotes. */
const PROMPT_MAX = 300;

export function clipEmbeds(page: ClipsPage): APIEmbed[] {
  return page.clips.slice(0, MAX_EMBEDS).map(clipEmbed);
}

/** The message above the embeds: the heading, the next page, the gallery (not unfolded). */
export function clipsContent(page: ClipsPage): string {
  const lines = [page.heading];
  if (page.nextPage !== undefined) lines.push(page.nextPage);
  if (page.gallery !== undefined) {
    lines.push(`All of this channel's clips, as a gallery: <${page.gallery}>`);
  }
  return lines.join('\n');
}

function clipEmbed(clip: ListedClip): APIEmbed {
  const title =
    clip.clipSeconds === undefined ? clip.modelName : `${clip.modelName} · ${clip.clipSeconds} s`;
  return {
    title: cutText(title, TITLE_MAX),
    url: clip.page,
    description:
      clip.prompt === undefined ? '(no prompt)' : `“${cutText(clip.prompt, PROMPT_MAX)}”`,
    thumbnail: { url: clip.poster },
    timestamp: new Date(clip.madeAt).toISOString(),
  };
}
