import assert from 'node:assert/strict';
import type { LookupAddress, LookupOptions, lookup } from 'node:dns';
import { describe, it } from 'node:test';
import { addressRefusal, assertSafeVideoUrl, guardLookup } from '../../src/sora/address-guard.ts';
import { UnsafeVideoUrl } from '../../src/sora/errors.ts';

// [address, allowed when strict, allowed with allowPrivate]
const ADDRESSES: [string, boolean, boolean][] = [
  ['93.184.216.34', true, true],
  ['8.8.8.8', true, true],
  ['2606:4700:4700::1111', true, true],
  ['::ffff:93.184.216.34', true, true],
  ['127.0.0.1', false, true],
  ['127.8.9.10', false, true],
  ['::1', false, true],
  ['::ffff:127.0.0.1', false, true],
  ['10.0.0.1', false, true],
  ['172.16.5.4', false, true],
  ['192.168.1.1', false, true],
  ['fc00::1', false, true],
  // AWS's IPv6 metadata address is unique-local, so allowPrivate lets it through.
  ['fd00:ec2::254', false, true],
  ['169.254.169.254', false, false],
  ['::ffff:169.254.169.254', false, false],
  ['fe80::1', false, false],
  ['100.64.0.1', false, false],
  ['100.100.100.200', false, false],
  ['0.0.0.0', false, false],
  ['::', false, false],
  ['224.0.0.1', false, false],
  ['ff02::1', false, false],
  ['255.255.255.255', false, false],
  ['240.0.0.1', false, false],
  ['192.0.2.1', false, false],
  ['64:ff9b::7f00:1', false, false],
  ['2002:7f00:1::', false, false],
  ['not-an-address', false, false],
];

describe('addressRefusal', () => {
  for (const [address, strict, relaxed] of ADDRESSES) {
    it(`${address}: ${strict ? 'allowed' : 'refused'} strict, ${relaxed ? 'allowed' : 'refused'} with allowPrivate`, () => {
      assert.equal(addressRefusal(address, false) === undefined, strict);
      assert.equal(addressRefusal(address, true) === undefined, relaxed);
    });
  }

  it('gives a plain reason', () => {
    assert.equal(addressRefusal('10.0.0.1', false), 'it points to a private network address');
    assert.equal(addressRefusal('::1', false), 'it points to a loopback address');
    assert.equal(
      addressRefusal('169.254.169.254', true),
      'it points to a link-local or cloud metadata address',
    );
  });
});

describe('assertSafeVideoUrl', () => {
  const refused = (link: string, allowPrivate: boolean): string | undefined => {
    try {
      assertSafeVideoUrl(new URL(link), allowPrivate);
      return undefined;
    } catch (error) {
      assert.ok(error instanceof UnsafeVideoUrl);
      return error.reason;
    }
  };

  it('accepts HTTPS links to names and public addresses', () => {
    assert.equal(refused('https://cdn.example.com/v.mp4?sig=1', false), undefined);
    assert.equal(refused('https://93.184.216.34/v.mp4', false), undefined);
  });

  it('refuses http: unless allowPrivate, and other schemes always', () => {
    assert.equal(refused('http://cdn.example.com/v.mp4', false), 'it is not an HTTPS link');
    assert.equal(refused('http://cdn.example.com/v.mp4', true), undefined);
    assert.equal(refused('ftp://cdn.example.com/v.mp4', true), 'it is not an HTTP or HTTPS link');
    assert.equal(refused('file:///etc/passwd', false), 'it is not an HTTPS link');
  });

  it('checks IP-literal hosts, including bracketed IPv6 and odd IPv4 spellings', () => {
    assert.equal(refused('https://[::1]/v.mp4', false), 'it points to a loopback address');
    assert.equal(
      refused('https://[::ffff:10.0.0.1]/v.mp4', false),
      'it points to a private network address',
    );
    // The URL parser normalises 0x7f.1 to 127.0.0.1.
    assert.equal(refused('https://0x7f.1/v.mp4', false), 'it points to a loopback address');
    assert.notEqual(refused('http://169.254.169.254/latest/meta-data/', true), undefined);
    assert.equal(refused('http://127.0.0.1:8080/v.mp4', true), undefined);
  });
});

describe('guardLookup', () => {
  const fakeLookup = (addresses: string[]): typeof lookup =>
    ((_host: string, options: LookupOptions, callback: (...args: unknown[]) => void) => {
      const all: LookupAddress[] = addresses.map((address) => ({
        address,
        family: address.includes(':') ? 6 : 4,
      }));
      if (options.all) callback(null, all);
      else callback(null, all[0]?.address, all[0]?.family);
    }) as unknown as typeof lookup;

  const resolve = (addresses: string[], all: boolean, allowPrivate: boolean) =>
    new Promise<unknown>((done) => {
      guardLookup(fakeLookup(addresses), allowPrivate)('cdn.test', { all }, (error, address) =>
        done(error ?? address),
      );
    });

  it('passes public answers through unchanged, in both calling styles', async () => {
    assert.equal(await resolve(['93.184.216.34'], false, false), '93.184.216.34');
    assert.deepEqual(await resolve(['93.184.216.34', '2606:4700:4700::1111'], true, false), [
      { address: '93.184.216.34', family: 4 },
      { address: '2606:4700:4700::1111', family: 6 },
    ]);
  });

  it('fails the whole answer when any address is refused', async () => {
    const outcome = await resolve(['93.184.216.34', '127.0.0.1'], true, false);
    assert.ok(outcome instanceof UnsafeVideoUrl);
    assert.equal(outcome.reason, 'it points to a loopback address');
  });

  it('lets private answers through with allowPrivate, but never metadata', async () => {
    assert.equal(await resolve(['127.0.0.1'], false, true), '127.0.0.1');
    assert.ok((await resolve(['169.254.169.254'], false, true)) instanceof UnsafeVideoUrl);
  });
});
