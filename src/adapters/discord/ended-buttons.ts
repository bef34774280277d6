/**
 * The buttons a card shows once its task has ended, kept so the message with the clip (or
 * the failure) can carry the same ones: the result knows nothing of buttons, the card's view
 * does. The tracker edits every card to its ended view, under the task's lock, before any
 * delivery of that task starts, so within one process a delivery always finds its card's
 * buttons here. After a restart between the two, the message goes out without buttons and
 * the card keeps its own.
 *
 * Kept in memory only and bounded: a card that ends without a delivery in its place (the
 * place stopped watching) is forgotten once newer ones push it out.
 */
import type { CardAction } from '../../chat/card-actions.ts';
import type { StatusView } from '../../chat/status-view.ts';

/** Far more cards than end between a card's last edit and its delivery. */
const DEFAULT_LIMIT = 1000;

export class EndedButtons {
  readonly #byCard = new Map<string, readonly CardAction[]>();
  readonly #limit: number;

  constructor(limit = DEFAULT_LIMIT) {
    this.#limit = limit;
  }

  /**
   * Keeps the buttons of an ended card whose result is still to come. A card already linking
   * to its result (the delivery is done) or still running is forgotten instead.
   */
  noteShown(channelId: string, view: StatusView): void {
    const key = keyOf(view.taskId, channelId);
    this.#byCard.delete(key);
    const ended = view.tone === 'done' || view.tone === 'failed' || view.tone === 'ended';
    if (!ended || view.resultLink !== undefined) return;
    this.#byCard.set(key, view.actions ?? []);
    // Maps keep insertion order: the first key is the card noted longest ago.
    if (this.#byCard.size > this.#limit) {
      const oldest = this.#byCard.keys().next().value;
      if (oldest !== undefined) this.#byCard.delete(oldest);
    }
  }

  /** The buttons for the result of `taskId` in the channel; none when its card was not seen. */
  of(taskId: string, channelId: string): readonly CardAction[] {
    return this.#byCard.get(keyOf(taskId, channelId)) ?? [];
  }

  /** The result was posted: its card's buttons are needed no more. */
  forget(taskId: string, channelId: string): void {
    this.#byCard.delete(keyOf(taskId, channelId));
  }
}

function keyOf(taskId: string, channelId: string): string {
  return `${channelId}:${taskId}`;
}
