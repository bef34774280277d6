/**
 * Create forms kept for an hour, so "Edit and resend" can open the form again with what was
 * submitted: a Discord button carries at most 100 characters of custom id, far too few for a
 * prompt, so the button names a draft kept here. Drafts are kept in the bot's store, so the
 * button still works after a restart; past the hour the click says the form has expired.
 */
import { randomUUID } from 'node:crypto';
import type { CreateFormValues } from '../../chat/create-form.ts';
import type { KeptRecordStore } from '../../watch/kept-records.ts';

const KIND = 'discord-draft';
/** An hour: long enough to fix a form, short enough that nobody expects it kept. */
export const DRAFT_LIFETIME_MS = 60 * 60_000;

const FIELDS = ['model', 'prompt', 'orientation', 'seconds', 'resolution', 'image'] as const;

export class CreateDrafts {
  readonly #store: KeptRecordStore;

  constructor(store: KeptRecordStore) {
    this.#store = store;
  }

  /** Keeps the values; resolves to the draft's id (36 characters). */
  async keep(values: CreateFormValues): Promise<string> {
    const id = randomUUID();
    await this.#store.putKept(KIND, id, { ...values }, DRAFT_LIFETIME_MS);
    return id;
  }

  /** The values of a draft still kept, or undefined once it has expired (or is unreadable). */
  async get(id: string): Promise<CreateFormValues | undefined> {
    return asValues(await this.#store.getKept(KIND, id));
  }
}

function asValues(value: unknown): CreateFormValues | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as Record<string, unknown>;
  if (typeof record.model !== 'string' || typeof record.prompt !== 'string') return undefined;
  const values: CreateFormValues = { model: record.model, prompt: record.prompt };
  for (const field of FIELDS) {
    const text = record[field];
    if (typeof text === 'string') values[field] = text;
  }
  return values;
}
