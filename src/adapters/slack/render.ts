/**
 * Slack's rendering of status views and deliveries: a Block Kit card that is edited in place,
 * and plain mrkdwn messages for the announcements that must notify people.
 */
import { type ResultOutcome, type ResultView, resultDetails } from '../../chat/result-view.ts';
import {
  type Askers,
  remainingEstimate,
  resultLinkLabel,
  type StatusView,
} from '../../chat/status-view.ts';
import { cutText } from '../../text-cut.ts';
import { formatDuration, formatUtc } from '../../time-format.ts';
import { cardButtons } from './card-buttons.ts';

/** A Block Kit block; kept loose so this file needs no Slack types. */
export type Block = Record<string, unknown>;

export interface SlackCard {
  /** The notification and screen-reader text, also shown where blocks are not. */
  text: string;
  blocks: Block[];
}

/** The most of the prompt a card quotes: enough to recognise it; Details has all of it. */
export const CARD_PROMPT_MAX_CHARS = 300;

const TONE_EMOJI: Record<StatusView['tone'], string> = {
  waiting: ':hourglass_flowing_sand:',
  running: ':arrows_counterclockwise:',
  done: ':white_check_mark:',
  failed: ':x:',
  ended: ':black_square_for_stop:',
};

/** Slack reads &, < and > as markup in mrkdwn; anything from the API or a user is escaped. */
export function escapeMrkdwn(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

export function mentionAll(requesters: readonly string[]): string {
  return requesters.map((user) => `<@${user}>`).join(' ');
}

/** "<@U1> ci-pipeline": chat users as mentions, anyone else as escaped plain text. */
export function askersText(askers: Askers): string {
  const labels = (askers.requestedBy ?? []).map(escapeMrkdwn);
  return [...askers.requesters.map((user) => `<@${user}>`), ...labels].join(' ');
}

export function statusCard(view: StatusView): SlackCard {
  const headline = `${TONE_EMOJI[view.tone]} *${escapeMrkdwn(view.taskId)}* · ${escapeMrkdwn(view.status)}`;
  const fields = [
    field('Model', view.modelName ?? 'unknown yet'),
    field('Elapsed', formatDuration(view.elapsedMs)),
  ];
  const remaining = remainingEstimate(view);
  if (remaining) fields.push(field('Time left', remaining));
  if (view.clipSeconds !== undefined) fields.push(field('Clip', `${view.clipSeconds} s`));
  const blocks: Block[] = [
    { type: 'section', text: { type: 'mrkdwn', text: headline } },
    { type: 'section', fields },
  ];
  if (view.progressBar) {
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: `\`${view.progressBar}\`` } });
  }
  if (view.error) {
    blocks.push({
      type: 'section',
      text: { type: 'mrkdwn', text: `:warning: ${escapeMrkdwn(view.error)}` },
    });
  }
  if (view.resultLink !== undefined) {
    const link = `<${view.resultLink.replace(/[<>|]/g, '')}|${resultLinkLabel(view)}>`;
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: `:arrow_down: ${link}` } });
  }
  if (view.prompt) {
    const prompt = quote(cutText(view.prompt.trim(), CARD_PROMPT_MAX_CHARS));
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: prompt } });
  }
  const context: Block[] = [];
  if (view.parameters) context.push({ type: 'mrkdwn', text: escapeMrkdwn(view.parameters) });
  const askers = askersText(view);
  if (askers !== '') context.push({ type: 'mrkdwn', text: `Requested by ${askers}` });
  if (context.length > 0) blocks.push({ type: 'context', elements: context });
  const buttons = cardButtons(view);
  if (buttons !== undefined) blocks.push(buttons);
  return { text: `${view.taskId}: ${view.status}`, blocks };
}

/** Escaped text as a mrkdwn quote, every line of it. */
export function quote(text: string): string {
  return `> ${escapeMrkdwn(text).replaceAll('\n', '\n> ')}`;
}

function field(label: string, value: string): Block {
  return { type: 'mrkdwn', text: `*${label}*\n${escapeMrkdwn(value)}` };
}

const RESULT_EMOJI: Record<ResultOutcome, string> = {
  video: ':clapper:',
  link: ':clapper:',
  unreachable: ':warning:',
  failed: ':x:',
};

/**
 * How a task ended, as one mrkdwn message: the comment of an uploaded clip, or the whole
 * message when there is only a link, no video, or a failure.
 */
export function resultMessage(view: ResultView): string {
  const details = resultDetails(view);
  const sentence = [
    `${lead(view)}${RESULT_EMOJI[view.outcome]} *${escapeMrkdwn(view.taskId)}* ${view.headline}`,
    details ? ` (${escapeMrkdwn(details)})` : '',
    view.caveat ? `, ${view.caveat}` : '',
    view.reason ? `: ${escapeMrkdwn(view.reason)}` : '.',
  ].join('');
  // After a reason (a sentence of its own), the rest starts on its own line.
  const separator = view.reason ? '\n' : ' ';
  return `${sentence}${linkLine(view)}${shareLine(view)}${labelNote(view, separator)}${sharedNote(view, separator)}${promptLine(view)}`;
}

/** "<url|Watch and share>": the clip's page, beside the clip itself. */
function shareLine(view: ResultView): string {
  return view.shareLink === undefined
    ? ''
    : ` <${view.shareLink.replace(/[<>|]/g, '')}|Watch and share>`;
}

/** " Shared by <@U1> from <link|the original post>.": who brought the clip here, and from where. */
function sharedNote(view: ResultView, separator: string): string {
  if (view.shared === undefined) return '';
  const from =
    view.shared.from === undefined
      ? ''
      : ` from <${view.shared.from.replace(/[<>|]/g, '')}|the original post>`;
  return `${separator}Shared by <@${view.shared.by}>${from}.`;
}

/** "<url|Download the video>, valid until at least <date>.", only for a link that should work. */
function linkLine(view: ResultView): string {
  if (view.link === undefined) return '';
  const validity =
    view.link.validUntil === undefined
      ? ''
      : `, valid until at least ${slackDate(view.link.validUntil)}`;
  return `\n<${view.link.url}|Download the video>${validity}.`;
}

/** The mentions that open an announcement, so the people who asked are notified. */
function lead(askers: Askers): string {
  return askers.requesters.length > 0 ? `${mentionAll(askers.requesters)} ` : '';
}

/** " Requested by ci-pipeline.": who asked from outside the chat, as plain text. */
function labelNote(askers: Askers, separator = ' '): string {
  const labels = askers.requestedBy ?? [];
  return labels.length > 0
    ? `${separator}Requested by ${labels.map(escapeMrkdwn).join(', ')}.`
    : '';
}

/** "<!date^1767225600^{date_short_pretty} {time}|2026-01-01 00:00 UTC>": shown in each reader's time zone. */
export function slackDate(ms: number): string {
  return `<!date^${Math.floor(ms / 1000)}^{date_short_pretty} {time}|${formatUtc(ms)}>`;
}

function promptLine(view: ResultView): string {
  return view.prompt ? `\n> ${escapeMrkdwn(view.prompt).replaceAll('\n', '\n> ')}` : '';
}
