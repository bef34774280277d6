/**
 * Path matching as Bolt's HTTPReceiver does it for custom routes (path-to-regexp 8 `match`
 * with `decode: decodeURIComponent`, default options), so one route list behaves the same on
 * Slack's port and on our own server: literal segments compare case-insensitively, `:name`
 * takes one non-empty segment (URI-decoded), and one trailing "/" is allowed.
 */

/** The route's parameters when `pathname` matches `pattern`, else undefined. */
export function matchRoutePath(
  pattern: string,
  pathname: string,
): Record<string, string> | undefined {
  const wanted = segments(pattern);
  const given = segments(pathname.endsWith('/') ? pathname.slice(0, -1) : pathname);
  if (wanted.length !== given.length) return undefined;
  const params: Record<string, string> = {};
  for (const [index, part] of wanted.entries()) {
    const actual = given[index] as string;
    if (part.startsWith(':')) {
      if (actual === '') return undefined;
      try {
        params[part.slice(1)] = decodeURIComponent(actual);
      } catch {
        return undefined; // a malformed %-escape names nothing
      }
    } else if (part.toLowerCase() !== actual.toLowerCase()) {
      return undefined;
    }
  }
  return params;
}

function segments(path: string): string[] {
  return path.split('/');
}
