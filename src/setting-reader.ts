/**
 * Reads settings from an environment one by one, checking each and collecting every problem
 * (each naming its variable) so they can all be reported together. Secret values are never
 * echoed back in a problem. `config.ts` decides which settings exist; this only reads them.
 */
import { parseStoreUrl } from './store/store-url.ts';

export const HOUR_MS = 3_600_000;
const DURATION_UNITS_MS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  min: 60_000,
  h: HOUR_MS,
  d: 24 * HOUR_MS,
};

/** Raised with every problem found; `message` lists them one per line. */
export class ConfigError extends Error {
  readonly problems: readonly string[];
  constructor(problems: readonly string[]) {
    super(`Configuration problems:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.problems = problems;
  }
}

export type Env = Readonly<Record<string, string | undefined>>;

export class SettingReader {
  readonly #env: Env;
  readonly #problems: string[] = [];
  constructor(env: Env) {
    this.#env = env;
  }

  #raw(name: string): string | undefined {
    const value = this.#env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  }

  secret(name: string, howToFix: string): string {
    const value = this.#raw(name);
    if (value === undefined) this.#problems.push(`${name} is not set: ${howToFix}.`);
    return value ?? '';
  }

  /** The value, or undefined when unset or blank. */
  optional(name: string): string | undefined {
    return this.#raw(name);
  }

  problem(message: string): void {
    this.#problems.push(message);
  }

  text(name: string, fallback: string): string {
    return this.#raw(name) ?? fallback;
  }

  httpUrl(name: string, fallback: string): string {
    const value = this.#raw(name) ?? fallback;
    const url = URL.parse(value);
    if (url === null || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
      this.#problems.push(`${name} must be an http(s) URL, like ${fallback}.`);
      return fallback;
    }
    return value.replace(/\/+$/, '');
  }

  number(
    name: string,
    fallback: number,
    limits: { min: number; max?: number; integer?: boolean },
  ): number {
    const raw = this.#raw(name);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    const max = limits.max ?? Number.MAX_SAFE_INTEGER;
    const wrongKind = limits.integer ? !Number.isSafeInteger(value) : !Number.isFinite(value);
    if (wrongKind || value < limits.min || value > max) {
      const kind = limits.integer ? 'a whole number' : 'a number';
      this.#problems.push(
        `${name} must be ${kind} from ${limits.min} to ${max} (got "${raw}"); the default is ${fallback}.`,
      );
      return fallback;
    }
    return value;
  }

  /** "6h", "90m", "45s": a number with a unit (ms, s, m or min, h, d). */
  duration(name: string, fallback: number, limits: { min: number }): number {
    const raw = this.#raw(name);
    if (raw === undefined) return fallback;
    const match = raw.match(/^(\d+(?:\.\d+)?)\s*(ms|s|m|min|h|d)$/);
    const value = match
      ? Number(match[1]) * (DURATION_UNITS_MS[match[2] as string] ?? 0)
      : Number.NaN;
    if (!(value >= limits.min)) {
      this.#problems.push(
        `${name} must be a duration like 6h, 90m or 45s, at least ${limits.min / 1000} s (got "${raw}").`,
      );
      return fallback;
    }
    return value;
  }

  /** A store URL, checked by the store's own parser; its password is never repeated. */
  storeUrl(name: string, fallback: string): string {
    const value = this.#raw(name) ?? fallback;
    try {
      parseStoreUrl(value, process.cwd());
    } catch (error) {
      this.#problems.push(`${(error as Error).message}.`);
      return fallback;
    }
    return value;
  }

  boolean(name: string, fallback: boolean): boolean {
    const raw = this.#raw(name)?.toLowerCase();
    if (raw === undefined) return fallback;
    if (['true', '1', 'yes', 'on'].includes(raw)) return true;
    if (['false', '0', 'no', 'off'].includes(raw)) return false;
    this.#problems.push(`${name} must be true or false (got "${raw}").`);
    return fallback;
  }

  oneOf<T extends string>(name: string, choices: readonly T[], fallback: T): T {
    const raw = this.#raw(name);
    if (raw === undefined) return fallback;
    if ((choices as readonly string[]).includes(raw)) return raw as T;
    this.#problems.push(`${name} must be one of ${choices.join(', ')} (got "${raw}").`);
    return fallback;
  }

  throwIfProblems(): void {
    if (this.#problems.length > 0) throw new ConfigError(this.#problems);
  }
}
