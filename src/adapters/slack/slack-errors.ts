/**
 * What a failed Web API call means for us: the place is gone for good, Slack asks us to wait,
 * or something passing that the tracker's own retry takes care of.
 */
import { ErrorCode } from '@slack/web-api';

/** Slack errors after which nothing more can be sent to the channel with this token. */
const PLACE_GONE_CODES = new Set([
  'channel_not_found',
  'is_archived',
  'not_in_channel',
  'token_revoked',
  'token_expired',
  'account_inactive',
  'invalid_auth',
  'no_permission',
  'restricted_action',
]);

/**
 * Slack's refusals of a file (size, workspace policy): the clip's link is posted instead.
 * Any other refusal of the upload is treated the same way, see `uploadRefusal`.
 */
const FILE_REFUSAL_TEXT: Record<string, string> = {
  file_too_large: 'the file is larger than this workspace accepts.',
  file_uploads_disabled: 'file uploads are turned off in this workspace.',
  file_uploads_except_images_disabled: 'this workspace accepts image uploads only.',
  storage_limit_reached: 'this workspace has no storage left.',
};

/**
 * Slack's refusals of a video block that surely posted nothing: the block itself (a field
 * missing or too long, a `video_url` off the app's unfurl domains) or the app's scopes (no
 * `links.embed:write`). The clip is then uploaded instead.
 */
const VIDEO_BLOCK_REFUSAL_CODES = new Set([
  'invalid_blocks',
  'invalid_blocks_format',
  'missing_scope',
]);

/** The `error` string of a Slack platform error ("channel_not_found"), if that is what this is. */
export function slackErrorCode(error: unknown): string | undefined {
  if (!isCoded(error) || error.code !== ErrorCode.PlatformError) return undefined;
  const data = (error as { data?: { error?: unknown } }).data;
  return typeof data?.error === 'string' ? data.error : undefined;
}

export function isPlaceGoneCode(code: string | undefined): boolean {
  return code !== undefined && PLACE_GONE_CODES.has(code);
}

export function isVideoBlockRefusal(code: string | undefined): boolean {
  return code !== undefined && VIDEO_BLOCK_REFUSAL_CODES.has(code);
}

/** Seconds Slack asked us to wait, when the call was refused with a 429. */
export function rateLimitRetryAfter(error: unknown): number | undefined {
  if (!isCoded(error) || error.code !== ErrorCode.RateLimitedError) return undefined;
  const seconds = (error as { retryAfter?: unknown }).retryAfter;
  return typeof seconds === 'number' && seconds >= 0 ? seconds : undefined;
}

/** One sentence for people on why Slack would not take the clip, for a platform error. */
export function uploadRefusal(code: string): string {
  return FILE_REFUSAL_TEXT[code] ?? `Slack refused the file (${code}).`;
}

function isCoded(error: unknown): error is { code: unknown } {
  return typeof error === 'object' && error !== null && 'code' in error;
}
