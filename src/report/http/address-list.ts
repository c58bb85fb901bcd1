import { BlockList, isIP } from 'node:net';
import { bareAddress } from './address-group';

/**
 * The ranges behind the names express's `trust proxy` (proxy-addr) gives them, so a list
 * reads the same in `report.trustProxy` and `report.lockoutExempt`.
 */
const NAMED: Record<string, [string, number, 'ipv4' | 'ipv6'][]> = {
  loopback: [
    ['127.0.0.1', 8, 'ipv4'],
    ['::1', 128, 'ipv6'],
  ],
  linklocal: [
    ['169.254.0.0', 16, 'ipv4'],
    ['fe80::', 10, 'ipv6'],
  ],
  uniquelocal: [
    ['10.0.0.0', 8, 'ipv4'],
    ['172.16.0.0', 12, 'ipv4'],
    ['192.168.0.0', 16, 'ipv4'],
    ['fc00::', 7, 'ipv6'],
  ],
};

/**
 * A test of whether a client address is in a list of addresses, CIDR ranges and the names
 * `loopback`, `linklocal`, `uniquelocal` (the forms `report.trustProxy` takes; the config
 * schema has checked them). The address is read as `addressGroup` reads it: a `:port` or
 * brackets dropped, an IPv4-mapped IPv6 address (`::ffff:203.0.113.7`) as IPv4, a zone id
 * ignored. Anything that is not an IP address is in no list. Throws (at build time, once)
 * only for an entry that is not an address, a range or a name.
 *
 * @example
 * const exempt = addressList(['192.0.2.10', '2001:db8:1::/48', 'loopback']);
 * exempt('[2001:db8:1:2::7]:5000'); // true
 * exempt('::ffff:127.0.0.1'); // true
 * exempt('203.0.113.7'); // false
 */
export function addressList(entries: readonly string[]): (address: string) => boolean {
  if (!entries.length) return () => false;
  const list = new BlockList();
  for (const entry of entries) {
    const named = NAMED[entry];
    if (named) {
      for (const [net, prefix, type] of named) list.addSubnet(net, prefix, type);
      continue;
    }
    const [ip, bits] = entry.split('/');
    const version = isIP(ip);
    if (!version) throw new Error(`not an IP address or range: ${entry}`);
    const type = version === 4 ? 'ipv4' : 'ipv6';
    if (bits === undefined) list.addAddress(ip, type);
    else list.addSubnet(ip, Number(bits), type);
  }
  return (address) => {
    const ip = bareAddress(address);
    const version = ip === null ? 0 : isIP(ip);
    return version !== 0 && list.check(ip!, version === 4 ? 'ipv4' : 'ipv6');
  };
}
