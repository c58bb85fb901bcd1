import { addressGroup } from '../../src/report/http/address-group';

/**
 * The sign-in limiter counts per address group: an IPv4 address, an IPv6 /64 (what one
 * subscriber or host is given; 2^64 addresses must not be 2^64 budgets), an IPv4-mapped
 * IPv6 address as its IPv4 address, and anything else as it is (it is hashed into the key).
 */
describe('addressGroup: what the sign-in limiter counts an address as', () => {
  it.each([
    ['203.0.113.7', '203.0.113.7'],
    ['2001:db8:1:2::1', '2001:db8:1:2::/64'],
    ['2001:db8:1:2:ffff:ffff:ffff:ffff', '2001:db8:1:2::/64'],
    ['2001:0DB8:0001:0002:0000:0000:0000:00AA', '2001:db8:1:2::/64'],
    ['2001:DB8:1:2:A:B:C:D', '2001:db8:1:2::/64'],
    ['2001:db8::1', '2001:db8:0:0::/64'],
    ['2001:db8::', '2001:db8:0:0::/64'],
    ['::1', '0:0:0:0::/64'],
    ['::', '0:0:0:0::/64'],
    ['1::', '1:0:0:0::/64'],
    ['1:2:3:4:5:6:7::', '1:2:3:4::/64'],
    ['1::2:3:4:5:6:7', '1:0:2:3::/64'],
    ['fe80::1%eth0', 'fe80:0:0:0::/64'],
    ['fe80::2%25eth0', 'fe80:0:0:0::/64'],
    ['FE80::ABCD%2', 'fe80:0:0:0::/64'],
    ['1:2:3:4:5:6:1.2.3.4', '1:2:3:4::/64'],
    ['::ffff:203.0.113.7', '203.0.113.7'],
    ['::FFFF:203.0.113.7', '203.0.113.7'],
    ['0:0:0:0:0:ffff:203.0.113.7', '203.0.113.7'],
    ['::ffff:cb00:7107', '203.0.113.7'],
  ])('%s → %s', (address, group) => {
    expect(addressGroup(address)).toBe(group);
  });

  it('keeps anything that is not an IP address as it is (it is hashed into the key), never throwing', () => {
    for (const odd of [
      '',
      'unknown',
      'not an address',
      '[::1',
      '::1]',
      '1:2:3:4:5:6:7:8:9',
      '1.2.3.4%eth0',
      'fe80::1%',
      '%eth0',
      '010.1.1.1',
      '999.1.1.1',
      '10.0.0.1}:route:x:counters*\r\n',
      ':'.repeat(10_000),
      '1:'.repeat(5_000),
      `fe80::1%${'x'.repeat(100_000)}`,
      '\u0000',
    ]) {
      expect(addressGroup(odd)).toBe(odd);
    }
  });

  it('groups any two addresses of one /64 together, and no two /64s', () => {
    const group = addressGroup('2001:db8:aaaa:bbbb::1');
    for (const a of ['2001:db8:aaaa:bbbb:1:2:3:4', '2001:DB8:AAAA:BBBB::', '2001:db8:aaaa:bbbb:0:0:0:ffff%lo'])
      expect(addressGroup(a)).toBe(group);
    for (const a of ['2001:db8:aaaa:bbbc::1', '2001:db8:aaab:bbbb::1', '2001:db9:aaaa:bbbb::1']) expect(addressGroup(a)).not.toBe(group);
    expect(addressGroup('::ffff:1.2.3.4')).not.toBe(addressGroup('::ffff:1.2.3.5'));
  });

  it('reads every form of random addresses alike: full, upper case, compressed (as the URL parser writes them), with a zone id', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed);
    for (let n = 0; n < 500; n++) {
      // Groups with runs of zeros, so that '::' lands in every position.
      const groups = Array.from({ length: 8 }, () => (random() % 3 === 0 ? 0 : random() % 0x10000));
      const full = groups.map((g) => g.toString(16).padStart(4, '0')).join(':');
      const compressed = new URL(`http://[${full}]/`).hostname.slice(1, -1);
      const expected =
        groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff
          ? `${groups[6] >> 8}.${groups[6] & 255}.${groups[7] >> 8}.${groups[7] & 255}`
          : `${groups
              .slice(0, 4)
              .map((g) => g.toString(16))
              .join(':')}::/64`;
      for (const form of [full, full.toUpperCase(), compressed, `${compressed}%eth${n}`]) expect(addressGroup(form)).toBe(expected);
    }
  });

  it('never throws on random text made of address characters', () => {
    let seed = 11;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed);
    const alphabet = '0123456789abcdefABCDEF:.%[]x ';
    for (let n = 0; n < 5000; n++) {
      const text = Array.from({ length: random() % 48 }, () => alphabet[random() % alphabet.length]).join('');
      const group = addressGroup(text);
      expect(typeof group).toBe('string');
      if (group !== text) expect(group).toMatch(/^([0-9a-f]{1,4}:){4}:\/64$|^\d{1,3}(\.\d{1,3}){3}$/);
    }
  });
});
