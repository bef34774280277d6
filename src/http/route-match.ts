/**
 * Route paths with `:params`, matched by path-to-regexp with the options Bolt's HTTPReceiver
 * uses for its custom routes, so one route list behaves the same on Slack's port and on our
 * own server: literal segments compare case-insensitively, `:name` takes one non-empty
 * segment (URI-decoded), and one trailing "/" is allowed.
 */
import { match } from 'path-to-regexp';

/** A route's parameters when the path matches, else undefined. */
export type PathMatcher = (pathname: string) => Record<string, string> | undefined;

export function pathMatcher(pattern: string): PathMatcher {
  const matchPath = match<Record<string, string>>(pattern, { decode: decodeURIComponent });
  return (pathname) => {
    try {
      const result = matchPath(pathname);
      return result === false ? undefined : { ...result.params };
    } catch {
      return undefined; // a malformed %-escape names nothing
    }
  };
}
