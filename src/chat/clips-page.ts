/**
 * A page of `/sora-clips` in parts, beside its text: for chats that can show each clip as a
 * card with its poster (Slack's blocks, Discord's embeds). Given only when the bot serves
 * share pages, because the poster and the card's link are the share page's; without them the
 * text is the whole answer. Each platform cuts the prompt to what its cards hold.
 */

export interface ClipsPage {
  /** The text's first line: how many clips, which ones, newest first. */
  heading: string;
  /** This page's clips, at most ten. */
  clips: ListedClip[];
  /** "page 1 of 2: /sora-clips all page 2", when there is a next page. */
  nextPage?: string;
  /** The gallery of this channel's clips, when the listing is of this channel. */
  gallery?: string;
}

export interface ListedClip {
  taskId: string;
  /** The model's display name, or "unknown model". */
  modelName: string;
  clipSeconds?: number;
  /** When it was made (ms): when it completed, else when the library took it. */
  madeAt: number;
  /** The whole prompt on one line; absent when none is known. */
  prompt?: string;
  /** The clip's share page. */
  page: string;
  /** Its poster: the first frame, or a neutral picture when none could be cut. */
  poster: string;
}

/** The poster the share page serves beside itself: `<page>.jpg` (web/routes.ts). */
export function posterLink(sharePage: string): string {
  return `${sharePage}.jpg`;
}
