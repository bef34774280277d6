/**
 * Durations as distributions on a grid of whole seconds: `mass[i]` is the chance that the
 * duration lies in [i, i + 1) seconds, spread evenly inside the bin. Coarse enough to be
 * cheap, fine enough for polls that are seconds apart.
 */

/** Mass below this is dropped from a distribution's tail. */
const NEGLIGIBLE_MASS = 1e-9;

/** Error function (Abramowitz & Stegun 7.1.26, absolute error below 1.5e-7). */
function erf(x: number): number {
  const t = 1 / (1 + 0.3275911 * Math.abs(x));
  const poly =
    ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t;
  const y = 1 - poly * Math.exp(-x * x);
  return x < 0 ? -y : y;
}

function normalCdf(x: number, mean: number, sd: number): number {
  return 0.5 * (1 + erf((x - mean) / (sd * Math.SQRT2)));
}

/** Scales to a total of 1 and trims the negligible tail, so sums over it stay short. */
function normalise(mass: Float64Array): Float64Array {
  let total = 0;
  for (const m of mass) total += m;
  if (!(total > 0)) throw new RangeError('a duration distribution needs some mass');
  let end = mass.length;
  while (end > 1 && (mass[end - 1] ?? 0) / total < NEGLIGIBLE_MASS) end -= 1;
  return mass.slice(0, end).map((m) => m / total);
}

/** A normal distribution folded at zero (a duration cannot be negative). */
export function foldedNormalMass(mean: number, sd: number): Float64Array {
  const bins = Math.ceil(mean + 7 * sd) + 1;
  const mass = new Float64Array(bins);
  for (let i = 0; i < bins; i += 1) {
    const inside = normalCdf(i + 1, mean, sd) - normalCdf(i, mean, sd);
    const mirrored = normalCdf(-i, mean, sd) - normalCdf(-i - 1, mean, sd);
    mass[i] = Math.max(0, inside) + Math.max(0, mirrored);
  }
  return normalise(mass);
}

/** An exponential distribution, for waits with no better shape known. */
export function exponentialMass(mean: number): Float64Array {
  const bins = Math.ceil(mean * 25);
  const mass = new Float64Array(bins);
  for (let i = 0; i < bins; i += 1) mass[i] = Math.exp(-i / mean) - Math.exp(-(i + 1) / mean);
  return normalise(mass);
}

/**
 * A Gaussian kernel on every sample, folded at zero, with a shared bandwidth. The samples are
 * first spread onto the grid, then the grid is smoothed once: far cheaper than a kernel per
 * sample, and the grid is finer than any bandwidth used.
 */
export function kernelMass(samples: readonly number[], bandwidth: number): Float64Array {
  const reach = Math.ceil(6 * bandwidth);
  const kernel = new Float64Array(2 * reach + 1);
  for (let d = -reach; d <= reach; d += 1) {
    kernel[d + reach] = normalCdf(d + 0.5, 0, bandwidth) - normalCdf(d - 0.5, 0, bandwidth);
  }
  let highest = 0;
  for (const x of samples) highest = Math.max(highest, x);
  const bins = Math.ceil(highest) + 2;
  // Each sample shared between the two bins whose centres surround it.
  const spread = new Float64Array(bins);
  for (const x of samples) {
    const at = Math.max(0, x - 0.5);
    const j = Math.floor(at);
    const f = at - j;
    spread[j] = (spread[j] ?? 0) + 1 - f;
    spread[j + 1] = (spread[j + 1] ?? 0) + f;
  }
  const mass = new Float64Array(bins + reach);
  for (let j = 0; j < bins; j += 1) {
    const weight = spread[j] ?? 0;
    if (weight === 0) continue;
    for (let d = -reach; d <= reach; d += 1) {
      const i = j + d;
      // The kernel's part below zero, mirrored back onto the positive side.
      const bin = i < 0 ? -1 - i : i;
      mass[bin] = (mass[bin] ?? 0) + weight * (kernel[d + reach] ?? 0);
    }
  }
  return normalise(mass);
}

/**
 * Silverman's rule of thumb for the kernel width, never below `floor`: polling only brackets
 * each observed duration, so a sample is itself a few seconds wide.
 */
export function bandwidthFor(samples: readonly number[], floor: number): number {
  const n = samples.length;
  if (n < 2) return floor;
  const sorted = [...samples].sort((a, b) => a - b);
  const mean = sorted.reduce((sum, x) => sum + x, 0) / n;
  const sd = Math.sqrt(sorted.reduce((sum, x) => sum + (x - mean) ** 2, 0) / (n - 1));
  const iqr = (sorted[Math.floor(n * 0.75)] ?? 0) - (sorted[Math.floor(n * 0.25)] ?? 0);
  const spread = iqr > 0 ? Math.min(sd, iqr / 1.34) : sd;
  return Math.max(floor, 0.9 * spread * n ** -0.2);
}

/** `a` weighted by `weightA` plus `b` weighted by `weightB`, weights summing to 1. */
export function blendMass(
  a: Float64Array,
  weightA: number,
  b: Float64Array,
  weightB: number,
): Float64Array {
  const mass = new Float64Array(Math.max(a.length, b.length));
  for (let i = 0; i < mass.length; i += 1) {
    mass[i] = (a[i] ?? 0) * weightA + (b[i] ?? 0) * weightB;
  }
  return normalise(mass);
}

/** `survival[j]` is the chance the duration is at least j seconds, for j in 0..length. */
export function survivalOf(mass: Float64Array): Float64Array {
  const survival = new Float64Array(mass.length + 1);
  for (let j = mass.length - 1; j >= 0; j -= 1) {
    survival[j] = (survival[j + 1] ?? 0) + (mass[j] ?? 0);
  }
  return survival;
}

/** The survival function between grid points, exact for mass spread evenly in each bin. */
export function survivalAt(survival: Float64Array, seconds: number): number {
  if (seconds <= 0) return 1;
  const j = Math.floor(seconds);
  if (j >= survival.length - 1) return 0;
  const f = seconds - j;
  return (survival[j] ?? 0) * (1 - f) + (survival[j + 1] ?? 0) * f;
}
