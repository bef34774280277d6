/** How status views and deliveries look on Discord: one embed per status, plain text for pings. */
import type { APIEmbed } from 'discord.js';
import { type ResultView, resultDetails } from '../../chat/result-view.ts';
import { type Askers, resultLinkLabel, type StatusView } from '../../chat/status-view.ts';
import { formatBytes, formatDuration } from '../../time-format.ts';

const TONE_COLOUR: Record<StatusView['tone'], number> = {
  waiting: 0x95a5a6,
  running: 0x3498db,
  done: 0x2ecc71,
  failed: 0xe74c3c,
  ended: 0x7f8c8d,
};

// Discord rejects message content over 2000 characters; a prompt must not sink a delivery.
const MAX_CONTENT = 2000;
const MAX_PROMPT = 1000;
/** The card shows the start of the prompt; Details and the clip's message show it whole. */
const MAX_CARD_PROMPT = 300;

/**
 * Times are Discord timestamps (`<t:…:R>`): each reader sees "3 minutes ago" or "in 4
 * minutes" counting on its own between edits. A finished task shows how long it took.
 */
export function statusEmbed(view: StatusView): APIEmbed {
  const fields = [{ name: 'Status', value: view.status, inline: true }];
  if (view.modelName) fields.push({ name: 'Model', value: view.modelName, inline: true });
  if (view.parameters) {
    fields.push({ name: 'Parameters', value: view.parameters, inline: false });
  }
  const running = view.tone === 'waiting' || view.tone === 'running';
  if (running) {
    fields.push({ name: 'Started', value: relativeTime(view.startedAt), inline: true });
  } else {
    fields.push({ name: 'Took', value: formatDuration(view.elapsedMs), inline: true });
  }
  if (view.expectedAt !== undefined) {
    fields.push({ name: 'Expected', value: relativeTime(view.expectedAt), inline: true });
  }
  if (view.progressBar) fields.push({ name: 'Progress', value: view.progressBar, inline: false });
  if (view.clipSeconds !== undefined && view.tone === 'done') {
    fields.push({ name: 'Clip', value: `${view.clipSeconds} s`, inline: true });
  }
  if (view.error) fields.push({ name: 'Why', value: view.error.slice(0, 1000), inline: false });
  if (view.resultLink !== undefined) {
    const value = `[${resultLinkLabel(view)}](${view.resultLink})`;
    fields.push({ name: 'Result', value, inline: false });
  }
  const askers = [mentionList(view.requesters), ...(view.requestedBy ?? [])].filter(Boolean);
  if (askers.length > 0) fields.push({ name: 'Asked by', value: askers.join(' '), inline: false });
  const embed: APIEmbed = {
    title: `Video task ${view.taskId}`,
    color: TONE_COLOUR[view.tone],
    fields,
  };
  if (view.prompt) embed.description = cut(view.prompt, MAX_CARD_PROMPT);
  return embed;
}

/**
 * How a task ended, as message content: the text that goes with an attached clip, or the
 * whole message when there is only a link, no video, or a failure.
 */
export function resultText(view: ResultView): string {
  const details = resultDetails(view);
  const sentence = [
    `${mentionPrefix(view.requesters)}Video task ${view.taskId} ${view.headline}`,
    details ? ` (${details})` : '',
    view.caveat ? `, ${view.caveat}` : '',
    view.reason ? `: ${view.reason}` : '.',
  ].join('');
  // After a reason (a sentence of its own), the rest starts on its own line.
  const separator = view.reason ? '\n' : ' ';
  return clip(
    `${sentence}${linkLine(view)}${shareLine(view)}${labelNote(view, separator)}${sharedNote(view, separator)}${promptLine(view)}`,
  );
}

/** Why a clip of this size is not attached here. */
export function tooLargeReason(bytes: number | undefined, limit: number | undefined): string {
  const size = bytes === undefined ? 'The clip' : `The clip (${formatBytes(bytes)})`;
  const cap = limit === undefined ? '' : ` of ${formatBytes(limit)}`;
  return `${size} is larger than this channel's upload limit${cap}.`;
}

/** The link and the earliest moment it may stop working, in each reader's time zone. */
function linkLine(view: ResultView): string {
  if (view.link === undefined) return '';
  const until = view.link.validUntil;
  const at = until === undefined ? undefined : Math.floor(until / 1000);
  const validity = at === undefined ? '' : ` (valid until at least <t:${at}:f>, <t:${at}:R>)`;
  return `\n${view.link.url}${validity}`;
}

/** "Watch and share: <url>": the clip's page, beside the clip itself (no preview of its own). */
function shareLine(view: ResultView): string {
  return view.shareLink === undefined ? '' : `\nWatch and share: <${view.shareLink}>`;
}

function promptLine(view: ResultView): string {
  if (!view.prompt) return '';
  return `\n> ${cut(view.prompt, MAX_PROMPT).replace(/\n/g, '\n> ')}`;
}

/**
 * " Shared by <@123> from <link>": who brought the clip here, and where it was first posted.
 * The message pings only its requesters (none for a share), so the mention shows a name.
 */
function sharedNote(view: ResultView, separator: string): string {
  if (view.shared === undefined) return '';
  const { by, from } = view.shared;
  return `${separator}Shared by <@${by}>${from === undefined ? '.' : ` from ${from}`}`;
}

function cut(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/**
 * " Requested by ci-pipeline.": who asked from outside the chat, as plain text. Only the
 * requesters are in `allowed_mentions`, so nothing in a label can ping anyone.
 */
function labelNote(askers: Askers, separator = ' '): string {
  const labels = askers.requestedBy ?? [];
  return labels.length > 0 ? `${separator}Requested by ${labels.join(', ')}.` : '';
}

/** A Discord timestamp each reader sees in words relative to now ("in 3 minutes"). */
function relativeTime(ms: number): string {
  return `<t:${Math.round(ms / 1000)}:R>`;
}

function mentionList(userIds: readonly string[]): string {
  return userIds.map((id) => `<@${id}>`).join(' ');
}

function mentionPrefix(userIds: readonly string[]): string {
  return userIds.length > 0 ? `${mentionList(userIds)} ` : '';
}

function clip(text: string): string {
  return text.length > MAX_CONTENT ? `${text.slice(0, MAX_CONTENT - 1)}…` : text;
}
