/**
 * Which Discord API errors mean "stop sending here", "post a fresh status message" and
 * "too large to upload".
 */
import { DiscordAPIError, RESTJSONErrorCodes } from 'discord.js';

/** The channel gone or out of reach: the subscription ends. */
const PLACE_GONE_CODES: ReadonlySet<unknown> = new Set([
  RESTJSONErrorCodes.UnknownChannel,
  RESTJSONErrorCodes.MissingAccess,
]);

/** The status message can no longer be edited, but the channel still takes new messages. */
const NOT_EDITABLE_CODES: ReadonlySet<unknown> = new Set([
  RESTJSONErrorCodes.MaximumNumberOfEditsToMessagesOlderThanOneHourReached,
]);

/** A deleted or inaccessible channel: retrying will not help. */
export function isPlaceGoneError(error: unknown): boolean {
  return error instanceof DiscordAPIError && PLACE_GONE_CODES.has(error.code);
}

/** An edit refused because the message was deleted (10008); the channel may still be there. */
export function isDeletedMessageError(error: unknown): boolean {
  return error instanceof DiscordAPIError && error.code === RESTJSONErrorCodes.UnknownMessage;
}

/** An edit refused because the message is too old (30046); a new message is still welcome. */
export function isNotEditableError(error: unknown): boolean {
  return error instanceof DiscordAPIError && NOT_EDITABLE_CODES.has(error.code);
}

/** The upload was over the place's limit (HTTP 413, or code 40005 in a 4xx body). */
export function isTooLargeError(error: unknown): boolean {
  return (
    error instanceof DiscordAPIError &&
    (error.status === 413 || error.code === RESTJSONErrorCodes.RequestEntityTooLarge)
  );
}
