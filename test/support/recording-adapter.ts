/**
 * A chat platform that keeps what it is sent, for tracker tests: a real implementation of
 * the `ChatAdapter` port (not a mock of our code), with switches to make a place fail. Like
 * every adapter it announces an ending from the result view, here as plain text.
 */
import { readFile } from 'node:fs/promises';
import {
  type ChatAdapter,
  type CommandHandler,
  type FinishedVideo,
  PlaceGone,
  type TaskFailure,
} from '../../src/chat/port.ts';
import { buildResultView, type ResultView, resultDetails } from '../../src/chat/result-view.ts';
import type { StatusView } from '../../src/chat/status-view.ts';
import type { PendingReply, Subscription } from '../../src/watch/watch.ts';

export interface ShownStatus {
  target: string;
  message: string;
  /** True for the first post of a message, false for an edit. */
  posted: boolean;
  view: StatusView;
  /** When it was shown, on the clock given to the adapter (0 without one). */
  at: number;
}

export interface Delivered {
  target: string;
  kind: 'video' | 'failure';
  requesters: string[];
  /** The clip's bytes as they were when delivered. */
  bytes?: Buffer;
  video?: FinishedVideo;
  failure?: TaskFailure;
  /** What the place was told, as every adapter builds it. */
  view: ResultView;
  /** The announcement as plain text. */
  text: string;
}

export class RecordingAdapter implements ChatAdapter {
  readonly platform: string;
  readonly shown: ShownStatus[] = [];
  readonly delivered: Delivered[] = [];
  /** Answers finished after a restart, as `finishReply` was asked to. */
  readonly finishedReplies: { target: string; ref: string; text: string; card?: string }[] = [];
  /** Targets whose place is gone for good. */
  readonly gone = new Set<string>();
  /** Targets whose next N deliveries fail with a passing error. */
  readonly flaky = new Map<string, number>();
  /** Targets whose deliveries wait for this promise before they are recorded. */
  readonly held = new Map<string, Promise<void>>();
  onCommand: CommandHandler | undefined;
  #messages = 0;

  readonly #now: () => number;

  constructor(platform = 'test', now: () => number = () => 0) {
    this.platform = platform;
    this.#now = now;
  }

  async start(onCommand: CommandHandler): Promise<void> {
    this.onCommand = onCommand;
  }

  async stop(): Promise<void> {}

  connected(): boolean {
    return true;
  }

  async showStatus(sub: Subscription, view: StatusView): Promise<string> {
    if (this.gone.has(sub.target)) throw new PlaceGone(sub.target);
    const posted = sub.statusMessage === undefined;
    const message = sub.statusMessage ?? `msg-${++this.#messages}`;
    this.shown.push({ target: sub.target, message, posted, view, at: this.#now() });
    return message;
  }

  async deliverVideo(sub: Subscription, video: FinishedVideo): Promise<string> {
    await this.held.get(sub.target);
    this.#failIfAsked(sub.target);
    const bytes = video.file ? await readFile(video.file.path) : undefined;
    const view = buildResultView(sub, video);
    this.delivered.push({
      target: sub.target,
      kind: 'video',
      requesters: [...sub.requesters],
      ...(bytes ? { bytes } : {}),
      video,
      view,
      text: plainText(view),
    });
    return resultLinkIn(sub.target, this.delivered.length);
  }

  async deliverFailure(sub: Subscription, failure: TaskFailure): Promise<string> {
    this.#failIfAsked(sub.target);
    const view = buildResultView(sub, failure);
    this.delivered.push({
      target: sub.target,
      kind: 'failure',
      requesters: [...sub.requesters],
      failure,
      view,
      text: plainText(view),
    });
    return resultLinkIn(sub.target, this.delivered.length);
  }

  async finishReply(sub: Subscription, reply: PendingReply, text: string): Promise<void> {
    this.finishedReplies.push({
      target: sub.target,
      ref: reply.ref,
      text,
      ...(sub.statusMessage ? { card: sub.statusMessage } : {}),
    });
  }

  shownTo(target: string): ShownStatus[] {
    return this.shown.filter((s) => s.target === target);
  }

  #failIfAsked(target: string): void {
    if (this.gone.has(target)) throw new PlaceGone(target);
    const failures = this.flaky.get(target) ?? 0;
    if (failures > 0) {
      this.flaky.set(target, failures - 1);
      throw new Error('temporary platform error');
    }
  }
}

/** "@U1 sora_x is ready (Sora 2 Plus, 8 s clip). Download: <url> (valid until at least <ms>)". */
export function plainText(view: ResultView): string {
  const details = resultDetails(view);
  const askers = [...view.requesters.map((user) => `@${user}`), ...(view.requestedBy ?? [])];
  const link = view.link
    ? ` Download: ${view.link.url}${view.link.validUntil === undefined ? '' : ` (valid until at least ${new Date(view.link.validUntil).toISOString()})`}`
    : '';
  return [
    askers.length > 0 ? `${askers.join(' ')} ` : '',
    `${view.taskId} ${view.headline}`,
    details ? ` (${details})` : '',
    view.caveat ? `, ${view.caveat}` : '',
    view.reason ? `: ${view.reason}` : '.',
    link,
    view.prompt ? `\n> ${view.prompt}` : '',
  ].join('');
}

/** The link the recorder gives its `n`th result message in `target`. */
export function resultLinkIn(target: string, n: number): string {
  return `https://chat.invalid/${encodeURIComponent(target)}/${n}`;
}
