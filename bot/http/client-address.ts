/**
 * Who is on the other end of a connection, for per-address limits, and how to
 * name that address in a log without identifying anyone.
 *
 * The TCP peer address is used unless TRUST_PROXY says how many proxies of
 * ours sit in front of the bot; then the address those proxies saw is read from
 * the right end of X-Forwarded-For (entries further left are written by the
 * client and can be anything, so they are never trusted).
 */
import { isIP } from 'node:net';
import type { IncomingMessage } from 'node:http';

/** The client's address (IPv4 without the ::ffff: prefix), or 'unknown'. */
export function clientAddress(req: IncomingMessage, trustedProxies: number): string {
  const peer = plain(req.socket?.remoteAddress);
  if (trustedProxies <= 0) return peer;
  const header = req.headers['x-forwarded-for'];
  const hops = (Array.isArray(header) ? header.join(',') : (header ?? ''))
    .split(',')
    .map((h) => h.trim())
    .filter(Boolean);
  // Each trusted proxy appended the address it received from: the last `trustedProxies` entries are ours.
  const seen = hops.length >= trustedProxies ? hops[hops.length - trustedProxies] : hops[0];
  return seen && isIP(plain(seen)) ? plain(seen) : peer;
}

function plain(address: string | undefined): string {
  if (!address) return 'unknown';
  return address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
}

/**
 * The key an address is limited under. An IPv6 customer usually holds a whole
 * /64, so limits apply to the /64: otherwise one attacker would have 2^64 tries.
 */
export function limitKey(address: string): string {
  if (isIP(address) !== 6) return address;
  return `${expand(address).slice(0, 4).join(':')}::/64`;
}

/** The address with its host part cut off (IPv4 /24, IPv6 /48): enough to see a pattern in logs, not to find a person. */
export function truncatedAddress(address: string): string {
  const family = isIP(address);
  if (family === 4) return `${address.split('.').slice(0, 3).join('.')}.0/24`;
  if (family === 6) return `${expand(address).slice(0, 3).join(':')}::/48`;
  return 'unknown';
}

function expand(v6: string): string[] {
  const [head = '', tail = ''] = v6.split('%')[0]!.split('::');
  const left = head ? head.split(':') : [];
  const right = v6.includes('::') && tail ? tail.split(':') : [];
  const fill = v6.includes('::') ? Array(Math.max(0, 8 - left.length - right.length)).fill('0') : [];
  return [...left, ...fill, ...right].map((g) => g.toLowerCase().replace(/^0+(?=.)/, ''));
}
