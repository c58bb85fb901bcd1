import { isIP } from 'node:net';

/**
 * The longest address text worth parsing: 45 characters of IPv6 with an IPv4 tail and a
 * zone id (an interface name or index). Anything longer is no address `isIP` accepts in a
 * form worth grouping, and is kept as it is without being looked at.
 */
const MAX_ADDRESS_LENGTH = 100;

/**
 * What the sign-in limiter counts a client address as (see `FailureLimiter`): an IPv4
 * address as it is; an IPv6 address as its /64 prefix, `'2001:db8:1:2::/64'` (a host or
 * subscriber is handed a whole /64: 2^64 addresses must be one budget and one Redis key,
 * not 2^64), read in any form (compressed `::`, leading zeros, upper case, an IPv4 tail, a
 * zone id `%eth0`); an IPv4-mapped IPv6 address (`::ffff:203.0.113.7`, what a dual-stack
 * listener reports for an IPv4 client) as its IPv4 address; anything else (not an IP
 * address: `'unknown'`, a malformed `X-Forwarded-For` entry) as it is, since it is hashed
 * into the key anyway. An address a proxy wrote with its source port (`203.0.113.7:54321`,
 * `[2001:db8::1]:54321`, as Azure Application Gateway writes X-Forwarded-For) is read
 * without the port, so each new connection is not a budget of its own (a bare IPv6 address
 * has colons but no brackets, so is never read as having a port). Never throws; linear in
 * at most `MAX_ADDRESS_LENGTH` characters.
 *
 * @example
 * addressGroup('2001:DB8:1:2::a%eth0'); // '2001:db8:1:2::/64'
 * addressGroup('203.0.113.7:54321'); // '203.0.113.7'
 * addressGroup('[2001:db8:1:2::a]:54321'); // '2001:db8:1:2::/64'
 * addressGroup('::ffff:203.0.113.7'); // '203.0.113.7'
 * addressGroup('not-an-ip'); // 'not-an-ip'
 */
export function addressGroup(address: string): string {
  const ip = parseAddress(address);
  if (!ip) return address;
  if (typeof ip === 'string') return ip;
  return `${ip[0].toString(16)}:${ip[1].toString(16)}:${ip[2].toString(16)}:${ip[3].toString(16)}::/64`;
}

/**
 * The IP address in a client address as `addressGroup` reads it, whole (not grouped): a
 * `:port` or brackets dropped, a zone id dropped, an IPv4-mapped IPv6 address as IPv4;
 * null for anything that is not an IP address. Never throws.
 *
 * @example
 * bareAddress('[2001:db8::1%eth0]:443'); // '2001:db8:0:0:0:0:0:1'
 * bareAddress('::ffff:203.0.113.7'); // '203.0.113.7'
 */
export function bareAddress(address: string): string | null {
  const ip = parseAddress(address);
  if (!ip) return null;
  return typeof ip === 'string' ? ip : ip.map((n) => n.toString(16)).join(':');
}

/**
 * An IPv4 address (as text, also from an IPv4-mapped IPv6 address) or the eight groups of
 * an IPv6 address, read as `addressGroup` describes; null when it is not an IP address.
 */
function parseAddress(address: string): string | number[] | null {
  if (address.length > MAX_ADDRESS_LENGTH) return null;
  const v4 = IPV4_WITH_PORT.exec(address);
  if (v4 && isIP(v4[1]) === 4) return v4[1];
  if (isIP(address) === 4) return address;
  const bracketed = BRACKETED_IPV6.exec(address);
  const ip = bracketed ? bracketed[1] : address;
  if (isIP(ip) !== 6) return null;
  const g = ipv6Groups(ip);
  if (!g) return null;
  if (g[0] === 0 && g[1] === 0 && g[2] === 0 && g[3] === 0 && g[4] === 0 && g[5] === 0xffff) {
    return `${g[6] >> 8}.${g[6] & 0xff}.${g[7] >> 8}.${g[7] & 0xff}`;
  }
  return g;
}

const HEX_GROUP = /^[0-9a-f]{1,4}$/;

/** `203.0.113.7:54321`: an IPv4 address with a port (the address is checked by `isIP`). */
const IPV4_WITH_PORT = /^(\d{1,3}(?:\.\d{1,3}){3}):\d{1,5}$/;

/** `[2001:db8::1]:54321` or `[2001:db8::1]`: an IPv6 address in brackets, with or without a port. */
const BRACKETED_IPV6 = /^\[([^\]]+)\](?::\d{1,5})?$/;

/**
 * The eight 16-bit groups of an IPv6 address `isIP` accepted (zone id dropped), or null
 * when the text is not in a form this reads (kept as it is by the caller, never thrown).
 */
function ipv6Groups(address: string): number[] | null {
  const zone = address.indexOf('%');
  let s = (zone === -1 ? address : address.slice(0, zone)).toLowerCase();
  const tail: number[] = [];
  const lastColon = s.lastIndexOf(':');
  if (s.includes('.', lastColon)) {
    const octets = s.slice(lastColon + 1).split('.');
    if (octets.length !== 4 || !octets.every((o) => /^\d{1,3}$/.test(o) && Number(o) <= 255)) return null;
    const [a, b, c, d] = octets.map(Number);
    tail.push(a * 256 + b, c * 256 + d);
    s = s.slice(0, lastColon + 1); // '...:' before the IPv4 tail, or '...::'
    if (!s.endsWith('::')) s = s.slice(0, -1);
  }
  const halves = s.split('::');
  if (halves.length > 2) return null;
  const groupsOf = (part: string): number[] | null => {
    if (part === '') return [];
    const hex = part.split(':');
    return hex.every((h) => HEX_GROUP.test(h)) ? hex.map((h) => parseInt(h, 16)) : null;
  };
  const head = groupsOf(halves[0]);
  const rest = halves.length === 2 ? groupsOf(halves[1]) : [];
  if (!head || !rest) return null;
  const zeros = 8 - tail.length - head.length - rest.length;
  if (halves.length === 2 ? zeros < 1 : zeros !== 0) return null;
  return [...head, ...new Array<number>(zeros).fill(0), ...rest, ...tail];
}
