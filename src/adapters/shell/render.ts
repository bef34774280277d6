/** The terminal's rendering of status views and deliveries: one line each, readable in a log. */
import type { FinishedVideo, TaskFailure } from '../../chat/port.ts';
import { remainingText, type StatusView } from '../../chat/status-view.ts';
import { displayName } from '../../models/index.ts';
import { formatBytes, formatDuration, formatUtc } from '../../time-format.ts';

const TONE_MARK: Record<StatusView['tone'], string> = {
  waiting: '…',
  running: '▶',
  done: '✔',
  failed: '✖',
  ended: '■',
};

/** "▶ vgen_abc processing · VEO 3.1 Fast · 2 min 10 s · about 1 min left · ▰▰▰▰▰▰▱▱▱▱ 60%". */
export function statusLine(view: StatusView): string {
  const parts = [`${TONE_MARK[view.tone]} ${view.taskId} ${view.status}`];
  if (view.modelName) parts.push(view.modelName);
  parts.push(formatDuration(view.elapsedMs));
  const remaining = remainingText(view);
  if (remaining) parts.push(remaining);
  if (view.progressBar) parts.push(view.progressBar);
  if (view.clipSeconds !== undefined && view.tone === 'done')
    parts.push(`${view.clipSeconds} s clip`);
  if (view.error) parts.push(view.error);
  return parts.join(' · ');
}

export function videoLine(video: FinishedVideo, savedTo: string | undefined): string {
  const details = [displayName(video.task.model)];
  if (video.task.actualDuration !== undefined) details.push(`${video.task.actualDuration} s clip`);
  if (savedTo !== undefined && video.file) {
    return `✔ ${video.task.id} is ready: saved ${savedTo} (${formatBytes(video.file.bytes)}; ${details.join(', ')})`;
  }
  const expiry = video.linkExpiresAt
    ? `, valid until at least ${formatUtc(video.linkExpiresAt)}`
    : '';
  return `✔ ${video.task.id} is ready but was not saved: ${video.fileProblem ?? 'no file'} Link: ${video.task.videoUrl}${expiry}`;
}

export function failureLine(failure: TaskFailure): string {
  return `✖ ${failure.taskId}: ${failure.reason}`;
}
