/** The terminal's rendering of status views and deliveries: one line each, readable in a log. */
import { type ResultOutcome, type ResultView, resultDetails } from '../../chat/result-view.ts';
import { remainingText, type StatusView } from '../../chat/status-view.ts';
import { formatBytes, formatDuration, formatUtc } from '../../time-format.ts';
import { visible } from './visible.ts';

const TONE_MARK: Record<StatusView['tone'], string> = {
  waiting: '…',
  running: '▶',
  done: '✔',
  failed: '✖',
  ended: '■',
};

/** "▶ vgen_abc processing · VEO 3.1 Fast · 2 min 10 s · about 2 min left · ▰▰▰▰▰▰▱▱▱▱ 60%". */
export function statusLine(view: StatusView): string {
  const parts = [`${TONE_MARK[view.tone]} ${view.taskId} ${view.status}`];
  // The parameters start with the model's name: "VEO 3.1 Fast · 16:9 · 8 s · 720p".
  if (view.parameters) parts.push(view.parameters);
  else if (view.modelName) parts.push(view.modelName);
  parts.push(formatDuration(view.elapsedMs));
  const remaining = remainingText(view);
  if (remaining) parts.push(remaining);
  if (view.progressBar) parts.push(view.progressBar);
  if (view.clipSeconds !== undefined && view.tone === 'done')
    parts.push(`${view.clipSeconds} s clip`);
  if (view.error) parts.push(view.error);
  return visible(parts.join(' · '));
}

const RESULT_MARK: Record<ResultOutcome, string> = {
  video: '✔',
  link: '✔',
  unreachable: '⚠',
  failed: '✖',
};

/**
 * "@you ✔ vgen_abc is ready (VEO 3.1 Fast, 8 s clip): saved clips/vgen_abc.mp4 (4 KiB)":
 * how a task ended, with the link on the same line and the prompt quoted below it.
 */
export function resultLine(view: ResultView, savedTo?: string): string {
  const details = resultDetails(view);
  const mentions = view.requesters.map((user) => `@${user} `).join('');
  const labels = view.requestedBy?.length ? ` · requested by ${view.requestedBy.join(', ')}` : '';
  const shared = view.shared === undefined ? '' : ` · shared by @${view.shared.by}`;
  const saved =
    savedTo !== undefined && view.fileBytes !== undefined
      ? `: saved ${savedTo} (${formatBytes(view.fileBytes)})`
      : '';
  const parts = [
    `${mentions}${RESULT_MARK[view.outcome]} ${view.taskId} ${view.headline}`,
    details ? ` (${details})` : '',
    view.caveat ? `, ${view.caveat}` : '',
    saved,
    view.reason ? `: ${view.reason}` : '',
    linkText(view),
    view.shareLink === undefined ? '' : ` Share: ${view.shareLink}`,
    labels,
    shared,
  ];
  const prompt = (view.prompt?.split('\n') ?? []).map((line) => `\n  > ${visible(line)}`);
  return `${visible(parts.join(''))}${prompt.join('')}`;
}

/** " Download: <url> (valid until at least 2026-11-29 03:40 UTC)", only for a working link. */
function linkText(view: ResultView): string {
  if (view.link === undefined) return '';
  const until = view.link.validUntil;
  return ` Download: ${view.link.url}${until === undefined ? '' : ` (valid until at least ${formatUtc(until)})`}`;
}
