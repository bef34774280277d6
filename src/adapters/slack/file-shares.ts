/**
 * Whether a file, as `files.info` describes it, is shared in a channel. Slack lists a share
 * under `shares.public` / `shares.private` keyed by channel id, and the older `channels`,
 * `groups` and `ims` lists name the channel too; either is enough.
 */

interface FileShares {
  shares?: { public?: Record<string, unknown>; private?: Record<string, unknown> };
  channels?: string[];
  groups?: string[];
  ims?: string[];
}

export function isSharedIn(file: FileShares | undefined, channelId: string): boolean {
  if (file === undefined) return false;
  const { shares } = file;
  if (shares?.public?.[channelId] !== undefined || shares?.private?.[channelId] !== undefined) {
    return true;
  }
  return [file.channels, file.groups, file.ims].some((ids) => ids?.includes(channelId) === true);
}

/** The ts of the file's first share in the channel, when `files.info` lists it. */
export function shareTs(file: FileShares | undefined, channelId: string): string | undefined {
  const listed = file?.shares?.public?.[channelId] ?? file?.shares?.private?.[channelId];
  if (!Array.isArray(listed)) return undefined;
  const ts = (listed[0] as { ts?: unknown } | undefined)?.ts;
  return typeof ts === 'string' ? ts : undefined;
}
