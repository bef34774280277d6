/**
 * STORE_URL, read: which backend keeps the watches, and where.
 *
 * The value may carry a password (redis://:secret@host), so no message here repeats it:
 * errors name the variable and what was expected, and `redactStoreUrl` gives a form that
 * is safe to log.
 */
import path from 'node:path';

export type StoreLocation =
  | { kind: 'memory' }
  /** `path` is absolute, or ":memory:". */
  | { kind: 'sqlite'; path: string }
  | { kind: 'redis'; url: string }
  | { kind: 'postgres'; url: string };

const KINDS: ReadonlyMap<string, StoreLocation['kind']> = new Map([
  ['memory', 'memory'],
  ['sqlite', 'sqlite'],
  ['redis', 'redis'],
  ['rediss', 'redis'],
  ['postgres', 'postgres'],
  ['postgresql', 'postgres'],
]);

const SCHEME = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//;

const EXPECTED =
  'STORE_URL must start with sqlite://, redis://, rediss://, postgres://, postgresql:// or memory://';

/**
 * `sqlite://data/bot.sqlite` is relative to `cwd`, `sqlite:///var/lib/bot.sqlite` absolute;
 * the rest of a sqlite URL is taken as the path, literally.
 */
export function parseStoreUrl(url: string, cwd: string): StoreLocation {
  const trimmed = url.trim();
  const scheme = SCHEME.exec(trimmed)?.[1]?.toLowerCase();
  const kind = scheme === undefined ? undefined : KINDS.get(scheme);
  if (scheme === undefined || kind === undefined) {
    throw new Error(scheme === undefined ? EXPECTED : `${EXPECTED} (it starts with ${scheme}://)`);
  }
  switch (kind) {
    case 'memory':
      return { kind };
    case 'sqlite': {
      const file = trimmed.slice(`${scheme}://`.length);
      if (file === '' || file.endsWith('/')) {
        throw new Error(
          'STORE_URL must name a file after sqlite://, e.g. sqlite://data/bot.sqlite',
        );
      }
      return { kind, path: file === ':memory:' ? file : path.resolve(cwd, file) };
    }
    case 'redis':
    case 'postgres':
      if (!URL.parse(trimmed)?.hostname) {
        throw new Error(`STORE_URL is not a valid ${scheme}:// URL`);
      }
      return { kind, url: trimmed };
  }
}

/** The URL with any password replaced by "***", for logs and messages. */
export function redactStoreUrl(url: string): string {
  const trimmed = url.trim();
  const parsed = SCHEME.test(trimmed) ? URL.parse(trimmed) : null;
  if (parsed === null) return trimmed.includes('@') ? '[unreadable STORE_URL]' : trimmed;
  if (parsed.password !== '') parsed.password = '***';
  return parsed.href;
}
