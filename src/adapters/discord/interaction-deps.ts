/** What answering an interaction needs from the adapter, shared by every kind of answer. */
import type { CommandHandler } from '../../chat/port.ts';
import type { Logger } from '../../log.ts';
import type { CreateDrafts } from './create-drafts.ts';

export interface InteractionDeps {
  onCommand: CommandHandler;
  logger: Logger;
  /** The task ids a target watches, for autocomplete. */
  suggest?: (target: string) => readonly string[];
  /** Upload caps that interactions report, by channel id: filled here, read by deliveries. */
  uploadLimits: Map<string, number>;
  /** The time (ms), for how long a deferred answer can still be finished. */
  now: () => number;
  /** Create forms kept for "Edit and resend". */
  drafts: CreateDrafts;
}

/** Keeps the upload cap Discord reports with an interaction, for the clip posted later. */
export function noteUploadLimit(
  interaction: { channelId: string | null; attachmentSizeLimit: number },
  deps: InteractionDeps,
): void {
  if (interaction.channelId !== null && typeof interaction.attachmentSizeLimit === 'number') {
    deps.uploadLimits.set(interaction.channelId, interaction.attachmentSizeLimit);
  }
}
