/**
 * Create forms kept in memory for a while, so "Edit and resend" can open the form again with
 * what was submitted: a Discord button carries at most 100 characters of custom id, far too
 * few for a prompt, so the button names a draft kept here. Drafts are few and short-lived;
 * a restart forgets them, and the click then says the form has expired.
 */
import { randomUUID } from 'node:crypto';
import type { CreateFormValues } from '../../chat/create-form.ts';

export interface CreateDraftsOptions {
  /** How long a draft can be opened again (ms). */
  lifetimeMs?: number;
  /** The most drafts kept at once; the oldest go first. */
  maxDrafts?: number;
}

export const CREATE_DRAFTS_DEFAULTS = {
  /** An hour: long enough to fix a form, short enough that nobody expects it kept. */
  lifetimeMs: 60 * 60_000,
  /** A bound on memory, far above what people fix within an hour. */
  maxDrafts: 1000,
} as const satisfies Required<CreateDraftsOptions>;

export class CreateDrafts {
  readonly #now: () => number;
  readonly #lifetimeMs: number;
  readonly #maxDrafts: number;
  /** In the order they were kept, which is also the order they expire in. */
  readonly #drafts = new Map<string, { values: CreateFormValues; until: number }>();

  constructor(now: () => number, options: CreateDraftsOptions = {}) {
    this.#now = now;
    this.#lifetimeMs = options.lifetimeMs ?? CREATE_DRAFTS_DEFAULTS.lifetimeMs;
    this.#maxDrafts = options.maxDrafts ?? CREATE_DRAFTS_DEFAULTS.maxDrafts;
  }

  /** Keeps the values; returns the draft's id (36 characters). */
  keep(values: CreateFormValues): string {
    this.#forgetExpired();
    for (const oldest of this.#drafts.keys()) {
      if (this.#drafts.size < this.#maxDrafts) break;
      this.#drafts.delete(oldest);
    }
    const id = randomUUID();
    this.#drafts.set(id, { values: { ...values }, until: this.#now() + this.#lifetimeMs });
    return id;
  }

  /** The values of a draft still kept, or undefined once it has expired or was pushed out. */
  get(id: string): CreateFormValues | undefined {
    this.#forgetExpired();
    const draft = this.#drafts.get(id);
    return draft === undefined ? undefined : { ...draft.values };
  }

  get size(): number {
    return this.#drafts.size;
  }

  #forgetExpired(): void {
    const now = this.#now();
    for (const [id, draft] of this.#drafts) {
      if (draft.until > now) break;
      this.#drafts.delete(id);
    }
  }
}
