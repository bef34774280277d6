/**
 * A finished clip as a Slack message that plays it (SLACK_VIDEO_BLOCKS=on): the announcement
 * with its mentions, a video block embedding the clip's share page, and the result's buttons.
 * Unlike a file share, such a message can carry buttons, so the clip gets them too.
 *
 * Slack's limits (Block Kit, video block): `title` and `description` are plain text "less than
 * 200 characters"; `thumbnail_url`, `alt_text` and `video_url` are required, the last an
 * HTTPS page on one of the app's unfurl domains (the bot's PUBLIC_URL, checked at start).
 */
import { posterLink } from '../../chat/clips-page.ts';
import { type ResultView, resultDetails } from '../../chat/result-view.ts';
import { cutText, oneLine } from '../../text-cut.ts';
import { resultBlocks } from './card-buttons.ts';
import { type Block, resultMessage, type SlackCard } from './render.ts';

/** Slack wants the title and the description under 200 characters. */
export const VIDEO_TEXT_MAX = 199;

/**
 * The message: `text` is the whole announcement (notifications, and clients without blocks);
 * the blocks say it without the prompt and the share link, which the player shows instead.
 */
export function videoMessage(view: ResultView, shareLink: string): SlackCard {
  const lead = resultMessage({ ...view, prompt: undefined, shareLink: undefined });
  const [announcement, ...buttons] = resultBlocks(lead, view);
  const blocks: Block[] = [
    ...(announcement ? [announcement] : []),
    videoBlock(view, shareLink),
    ...buttons,
  ];
  return { text: resultMessage(view), blocks };
}

function videoBlock(view: ResultView, shareLink: string): Block {
  const prompt = view.prompt === undefined ? '' : oneLine(view.prompt);
  const title = prompt || view.modelName || view.taskId;
  // Under a prompt, the model and length; a title that is already the model needs none.
  const description = prompt ? resultDetails(view) : '';
  return {
    type: 'video',
    video_url: shareLink,
    thumbnail_url: posterLink(shareLink),
    alt_text: cutText(`The clip of ${view.taskId}: ${title}`, VIDEO_TEXT_MAX),
    title: { type: 'plain_text', text: cutText(title, VIDEO_TEXT_MAX) },
    title_url: shareLink,
    ...(description
      ? { description: { type: 'plain_text', text: cutText(description, VIDEO_TEXT_MAX) } }
      : {}),
  };
}
