/**
 * Decides whether a video link may be fetched at all: only web schemes, and only public
 * addresses, so a crafted or hijacked link cannot make the bot read the local network or a
 * cloud metadata service. The address is checked where the socket is opened (in the DNS
 * lookup undici uses), so a name that resolves to a public address once and a private one
 * the next time (DNS rebinding) is caught too.
 */
import type { lookup as dnsLookup, LookupAddress, LookupOptions } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';
import { UnsafeVideoUrl } from './errors.ts';

/**
 * Ranges that `allowPrivate` (tests and the demo) lets through. Link-local (where the
 * 169.254.169.254 metadata service lives), carrier-grade NAT (Alibaba Cloud's metadata
 * service is 100.100.100.200), multicast, unspecified and reserved ranges stay refused.
 */
const PRIVATE_RANGES: ReadonlySet<string> = new Set(['loopback', 'private', 'uniqueLocal']);

const NOT_HTTPS = 'it is not an HTTPS link';
const NOT_HTTP = 'it is not an HTTP or HTTPS link';

/** Why this address must not be contacted, or undefined when it may be. */
export function addressRefusal(address: string, allowPrivate: boolean): string | undefined {
  if (!ipaddr.isValid(address)) return 'it does not resolve to a valid address';
  // `process` turns IPv4-mapped IPv6 (::ffff:127.0.0.1) into the IPv4 address it carries.
  const range = ipaddr.process(address).range();
  if (range === 'unicast') return undefined;
  if (allowPrivate && PRIVATE_RANGES.has(range)) return undefined;
  switch (range) {
    case 'loopback':
      return 'it points to a loopback address';
    case 'private':
    case 'uniqueLocal':
    case 'carrierGradeNat':
      return 'it points to a private network address';
    case 'linkLocal':
      return 'it points to a link-local or cloud metadata address';
    default:
      return 'it points to a reserved or non-public address';
  }
}

/**
 * Checks what can be checked before connecting: the scheme, and the host when it is an IP
 * literal (net.connect does not run a lookup for those, so the guarded lookup never sees
 * them). Host names are checked later, by `guardLookup`.
 */
export function assertSafeVideoUrl(url: URL, allowPrivate: boolean): void {
  const webScheme = url.protocol === 'https:' || url.protocol === 'http:';
  if (!webScheme) throw new UnsafeVideoUrl(allowPrivate ? NOT_HTTP : NOT_HTTPS);
  if (url.protocol === 'http:' && !allowPrivate) throw new UnsafeVideoUrl(NOT_HTTPS);
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (isIP(host) === 0) return;
  const refusal = addressRefusal(host, allowPrivate);
  if (refusal !== undefined) throw new UnsafeVideoUrl(refusal);
}

type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/**
 * Wraps a `dns.lookup`-compatible function for undici's `connect.lookup`: resolves as usual,
 * then fails the connection with `UnsafeVideoUrl` if any resolved address is refused.
 * Refusing the whole answer (rather than filtering it) keeps a mixed answer from sneaking
 * a private address in on a later connection.
 */
export function guardLookup(lookup: typeof dnsLookup, allowPrivate: boolean): LookupFunction {
  return (hostname: string, options: LookupOptions, callback: LookupCallback) => {
    lookup(hostname, options, (error, address, family) => {
      if (error) {
        callback(error, address, family);
        return;
      }
      const addresses = typeof address === 'string' ? [address] : address.map((a) => a.address);
      for (const candidate of addresses) {
        const refusal = addressRefusal(candidate, allowPrivate);
        if (refusal !== undefined) {
          callback(new UnsafeVideoUrl(refusal), address, family);
          return;
        }
      }
      callback(null, address, family);
    });
  };
}
