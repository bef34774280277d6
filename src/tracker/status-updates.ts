/**
 * Keeps every subscription's status message in step with its watch: posts it the first
 * time, edits it when what a person would notice has changed, never sends an unchanged
 * view again, and never edits within `minEditIntervalMs` of the last edit in the same place
 * (a change inside that interval is shown when it ends; a final view is never held back).
 */

import { CardDeleted, type ChatAdapter, PlaceGone, platformOf } from '../chat/port.ts';
import { buildStatusView, type Estimate, type StatusView, viewKey } from '../chat/status-view.ts';
import type { Clock } from '../clock.ts';
import type { Logger } from '../log.ts';
import type { Subscription, Watch } from '../watch/watch.ts';

/** How soon a status card whose first post failed is tried again. */
const FIRST_POST_RETRY_MS = 10_000;

export interface StatusUpdatesDeps {
  adapters: ReadonlyMap<string, ChatAdapter>;
  clock: Clock;
  logger: Logger;
  minEditIntervalMs: number;
  estimate: (watch: Watch) => Estimate;
  /** Asks for another refresh of this task at `at` (ms), for an edit held back by coalescing. */
  refreshLater: (taskId: string, at: number) => void;
}

export class StatusUpdates {
  readonly #deps: StatusUpdatesDeps;
  /** When each place last saw one of its status messages edited (ms); kept in memory only. */
  readonly #lastEditInPlace = new Map<string, number>();
  /** Places whose last status update failed, so that a failure is said once per outage. */
  readonly #failing = new Set<string>();

  constructor(deps: StatusUpdatesDeps) {
    this.#deps = deps;
  }

  /**
   * Shows the current view wherever it changed. Mutates the watch's subscriptions (message
   * reference, last view, time shown) and returns whether anything changed; the caller holds
   * the task's lock and saves the watch.
   */
  async refresh(
    watch: Watch,
    onGone: (sub: Subscription, error: PlaceGone) => void = () => {},
  ): Promise<boolean> {
    const { clock, logger, minEditIntervalMs } = this.#deps;
    const estimate = this.#deps.estimate(watch);
    let changed = false;
    for (const sub of watch.subscriptions) {
      if (sub.delivery === 'abandoned' || cardGivenUp(sub)) continue;
      const adapter = this.#deps.adapters.get(platformOf(sub.target));
      if (adapter === undefined) continue;
      const now = clock.now();
      const view = buildStatusView(watch, sub, estimate, now);
      const key = viewKey(view);
      if (key === sub.lastViewKey) continue;
      // One edit per interval per message, and per place: a channel watching many tasks
      // sees their cards change in turn, not all at once.
      const lastInPlace = this.#lastEditInPlace.get(sub.target) ?? 0;
      const editableAt = Math.max(sub.lastShownAt ?? 0, lastInPlace) + minEditIntervalMs;
      // The final view is never held back: the watch may be gone by the time it would show.
      const final = view.tone === 'done' || view.tone === 'failed' || view.tone === 'ended';
      if (sub.statusMessage !== undefined && now < editableAt && !final) {
        this.#deps.refreshLater(watch.taskId, editableAt);
        continue;
      }
      try {
        // Taken before the call: refreshes of other watches in this place run meanwhile.
        if (sub.statusMessage !== undefined) this.#lastEditInPlace.set(sub.target, now);
        sub.statusMessage = await this.#show(adapter, watch, sub, view);
        if (cardGivenUp(sub)) {
          changed = true;
          continue;
        }
        sub.lastViewKey = key;
        sub.lastShownAt = now;
        changed = true;
        if (this.#failing.delete(sub.target)) {
          logger.info({ taskId: watch.taskId, target: sub.target }, 'status update works again');
        }
      } catch (error) {
        if (error instanceof PlaceGone) {
          logger.warn(
            { taskId: watch.taskId, target: sub.target },
            'place is gone; subscription ended',
          );
          sub.delivery = 'abandoned';
          changed = true;
          onGone(sub, error);
        } else {
          // The next refresh tries again; a status edit is never worth failing a watch over.
          // A card never posted is asked for again soon: the next poll may be minutes away.
          if (sub.statusMessage === undefined) {
            this.#deps.refreshLater(watch.taskId, now + FIRST_POST_RETRY_MS);
          }
          // Said once per place until an update there works again: a long platform outage is
          // one line, not one every 10 s.
          const level = this.#failing.has(sub.target) ? 'debug' : 'warn';
          this.#failing.add(sub.target);
          logger[level](
            { taskId: watch.taskId, target: sub.target, err: error },
            'status update failed',
          );
        }
      }
    }
    return changed;
  }

  /**
   * Posts or edits the card. A card someone deleted is posted afresh once: the people who
   * asked are still waiting. Deleted again, it is not brought back; the result still comes.
   */
  async #show(
    adapter: ChatAdapter,
    watch: Watch,
    sub: Subscription,
    view: StatusView,
  ): Promise<string | undefined> {
    try {
      return await adapter.showStatus(sub, view);
    } catch (error) {
      if (!(error instanceof CardDeleted) || sub.statusMessage === undefined) throw error;
      const count = (sub.deletedCards?.count ?? 0) + 1;
      sub.deletedCards = { count, last: sub.statusMessage };
      sub.statusMessage = undefined;
      if (cardGivenUp(sub)) {
        this.#deps.logger.info(
          { taskId: watch.taskId, target: sub.target },
          'status message deleted again; the place gets only the result',
        );
        return undefined;
      }
      this.#deps.logger.info(
        { taskId: watch.taskId, target: sub.target },
        'status message deleted; posting a fresh one',
      );
      return adapter.showStatus(sub, view);
    }
  }

  /**
   * Shows a place that stopped watching its card's last state: the task as it stands, ended
   * for this place with `reason`, so the card no longer looks alive. Best effort: the place
   * has already left the watch.
   */
  async showLeft(watch: Watch, sub: Subscription, reason: string): Promise<void> {
    const adapter = this.#deps.adapters.get(platformOf(sub.target));
    if (adapter === undefined || sub.statusMessage === undefined) return;
    const ended: Watch = { ...watch, endReason: reason };
    const view = buildStatusView(ended, sub, this.#deps.estimate(ended), this.#deps.clock.now());
    try {
      await adapter.showStatus(sub, view);
    } catch (error) {
      this.#deps.logger.warn(
        { taskId: watch.taskId, target: sub.target, err: error },
        'could not mark the card as no longer watched',
      );
    }
  }
}

/** Whether people deleted this place's card more than once: it is then left without one. */
function cardGivenUp(sub: Subscription): boolean {
  return (sub.deletedCards?.count ?? 0) >= 2;
}
