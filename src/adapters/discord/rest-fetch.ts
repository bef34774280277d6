/**
 * The fetch discord.js sends its REST requests with: Node's own (see index.ts for why not
 * discord.js's bundled undici), told never to follow a redirect.
 *
 * Under the default `redirect: 'follow'`, fetch first clones the request, and the clone's
 * body is a tee of the caller's: the branch kept back for a redirect that may resend it is
 * never read, so every chunk of an upload stays in memory until the request ends (a 100 MiB
 * clip cost 100 MiB). Only `redirect: 'error'` with `window: null` sends the request itself.
 * Discord's API does not redirect, and discord.js's own client never followed one either.
 */
export function restFetch(url: string, init: RequestInit): Promise<Response> {
  return fetch(url, { ...init, redirect: 'error', window: null });
}
