import { looksVolatile } from '../../src/compare';

describe('looksVolatile', () => {
  it.each([
    '2024-05-01T10:00:00Z',
    '2024-05-01T10:00:00.123456+02:00',
    '2024-05-01 10:00:00',
    'Wed, 01 May 2024 10:00:00 GMT',
    1714557600,
    1714557600.25,
    1714557600123,
    '1714557600',
    '3f2504e0-4f89-11d3-9a0c-0305e82c3301',
    '{3F2504E0-4F89-11D3-9A0C-0305E82C3301}',
    '01HXZ8K9M2N3P4Q5R6S7T8V9WX',
    'deadbeef00112233',
    '5f2b8c1e9a7d4b3c2e1f0a9b8c7d6e5f4a3b2c1d',
    'aZ3kP9xQ2mN7vB4cL8wE5rT1',
    'req_8f3a9c2b1d4e',
    'cus_NffrFeUfNV2Hib',
    'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U',
    '1234567890123456789',
  ])('%p looks volatile', (v) => {
    expect(looksVolatile(v)).toBe(true);
  });

  it.each([
    'hello world',
    'pending',
    'customer_settings_v2',
    'ORDER_STATUS_CONFIRMED',
    'https://example.com/a',
    '2024-05-01',
    'abcdefabcdefabcd',
    42,
    19.99,
    0,
    true,
    null,
    undefined,
    { at: '2024-05-01T10:00:00Z' },
    ['2024-05-01T10:00:00Z'],
  ])('%p does not', (v) => {
    expect(looksVolatile(v)).toBe(false);
  });
});
