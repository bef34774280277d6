/** Which Discord API errors mean "stop sending here" and which mean "too large to upload". */
import { DiscordAPIError, RESTJSONErrorCodes } from 'discord.js';

const PLACE_GONE_CODES: ReadonlySet<unknown> = new Set([
  RESTJSONErrorCodes.UnknownChannel,
  RESTJSONErrorCodes.UnknownMessage,
  RESTJSONErrorCodes.MissingAccess,
  RESTJSONErrorCodes.MissingPermissions,
]);

/** A deleted channel or message, or the bot lost access: retrying will not help. */
export function isPlaceGoneError(error: unknown): boolean {
  return error instanceof DiscordAPIError && PLACE_GONE_CODES.has(error.code);
}

/** The upload was over the place's limit (HTTP 413, or code 40005 in a 4xx body). */
export function isTooLargeError(error: unknown): boolean {
  return (
    error instanceof DiscordAPIError &&
    (error.status === 413 || error.code === RESTJSONErrorCodes.RequestEntityTooLarge)
  );
}
