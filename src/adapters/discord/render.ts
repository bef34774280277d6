/** How status views and deliveries look on Discord: one embed per status, plain text for pings. */
import type { APIEmbed } from 'discord.js';
import type { FinishedVideo, TaskFailure } from '../../chat/port.ts';
import { type Askers, remainingText, type StatusView } from '../../chat/status-view.ts';
import { displayName } from '../../models/index.ts';
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

export function statusEmbed(view: StatusView): APIEmbed {
  const fields = [{ name: 'Status', value: view.status, inline: true }];
  if (view.modelName) fields.push({ name: 'Model', value: view.modelName, inline: true });
  fields.push({ name: 'Elapsed', value: formatDuration(view.elapsedMs), inline: true });
  const remaining = remainingText(view);
  if (remaining) fields.push({ name: 'Time left', value: remaining, inline: true });
  if (view.progressBar) fields.push({ name: 'Progress', value: view.progressBar, inline: false });
  if (view.clipSeconds !== undefined && view.tone === 'done') {
    fields.push({ name: 'Clip', value: `${view.clipSeconds} s`, inline: true });
  }
  if (view.error) fields.push({ name: 'Why', value: view.error.slice(0, 1000), inline: false });
  const askers = [mentionList(view.requesters), ...(view.requestedBy ?? [])].filter(Boolean);
  if (askers.length > 0) fields.push({ name: 'Asked by', value: askers.join(' '), inline: false });
  return { title: `Video task ${view.taskId}`, color: TONE_COLOUR[view.tone], fields };
}

/** The text that goes with an attached clip. */
export function videoText(askers: Askers, video: FinishedVideo): string {
  return clip(
    `${mentionPrefix(askers.requesters)}${readyLine(video)}${labelNote(askers)}${promptLine(video)}`,
  );
}

/** The text when the clip cannot be attached: the link, until when it works, and why. */
export function videoLinkText(askers: Askers, video: FinishedVideo, why: string): string {
  const expiry =
    video.linkExpiresAt === undefined
      ? ''
      : ` (the link stops working <t:${Math.floor(video.linkExpiresAt / 1000)}:R>)`;
  const link = video.task.videoUrl ? `\n${video.task.videoUrl}${expiry}` : '';
  return clip(
    `${mentionPrefix(askers.requesters)}${readyLine(video)}${labelNote(askers)} It is not attached: ${why}${link}${promptLine(video)}`,
  );
}

/** Why a clip of this size is not attached here. */
export function tooLargeReason(bytes: number | undefined, limit: number | undefined): string {
  const size = bytes === undefined ? 'the clip' : `the clip (${formatBytes(bytes)})`;
  const cap = limit === undefined ? '' : ` of ${formatBytes(limit)}`;
  return `${size} is larger than this channel's upload limit${cap}.`;
}

export function failureText(askers: Askers, failure: TaskFailure): string {
  return clip(
    `${mentionPrefix(askers.requesters)}Video task ${failure.taskId} ended without a video: ${failure.reason}${labelNote(askers, '\n')}`,
  );
}

function readyLine(video: FinishedVideo): string {
  const details = [displayName(video.task.model)];
  if (video.task.actualDuration !== undefined) details.push(`${video.task.actualDuration} s clip`);
  return `Video task ${video.task.id} is ready (${details.join(', ')}).`;
}

function promptLine(video: FinishedVideo): string {
  if (!video.prompt) return '';
  const prompt =
    video.prompt.length > MAX_PROMPT ? `${video.prompt.slice(0, MAX_PROMPT)}…` : video.prompt;
  return `\n> ${prompt.replace(/\n/g, '\n> ')}`;
}

/**
 * " Requested by ci-pipeline.": who asked from outside the chat, as plain text. Only the
 * requesters are in `allowed_mentions`, so nothing in a label can ping anyone.
 */
function labelNote(askers: Askers, separator = ' '): string {
  const labels = askers.requestedBy ?? [];
  return labels.length > 0 ? `${separator}Requested by ${labels.join(', ')}.` : '';
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
