/**
 * How large an upload a place takes when no interaction told us: Discord raises the cap with
 * the server's boost tier (tiers 0 and 1 keep the base 10 MiB, tier 2 allows 50 MiB, tier 3
 * 100 MiB).
 */
const MIB = 1024 * 1024;

/** Discord's cap for servers without boosts (and direct messages). */
export const BASE_UPLOAD_LIMIT_BYTES = 10 * MIB;

/**
 * The upload cap for a guild of boost `tier`; `baseBytes` is the cap below tier 2 and where
 * the tier is unknown (Discord's 10 MiB unless configured lower).
 */
export function uploadLimitForTier(
  tier: number | undefined,
  baseBytes: number = BASE_UPLOAD_LIMIT_BYTES,
): number {
  if (tier === undefined || tier < 2) return baseBytes;
  return tier === 2 ? 50 * MIB : 100 * MIB;
}
