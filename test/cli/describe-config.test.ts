import { describeConfig } from '../../src/cli/config-command';
import { createConfig } from '../../src/config';
import { keySlot, storeKeys } from '../../src/store';

describe('tandem config check: the compare column', () => {
  it('lists every compare rule of a route, noise included', () => {
    const c = createConfig({
      legacy: { url: 'http://127.0.0.1:1' },
      candidate: { url: 'http://127.0.0.1:2' },
      compare: { noise: ['generatedAt'] },
      routes: [
        {
          name: 'list',
          match: 'GET /list',
          compare: {
            noise: ['items[*].updatedAt'],
            ignore: ['etag'],
            unordered: ['tags'],
            arrayKeys: { items: 'id' },
            numericTolerance: 0.01,
            allowAdded: false,
            headers: ['location'],
          },
        },
        { name: 'plain', match: 'GET /plain' },
      ],
    });
    const [list, plain] = describeConfig(c)
      .split('\n')
      .filter((l) => /^\s+(list|plain)\s/.test(l));
    expect(list).toMatch(/noise generatedAt,items\[\*\]\.updatedAt/);
    expect(list).toMatch(/ignore etag; noise [^;]+; keys items:id; unordered tags; tolerance 0\.01; added fields count; headers location/);
    expect(plain).toMatch(/noise generatedAt$/);
  });
});

describe('tandem config check: queue partitions', () => {
  const base = { legacy: { url: 'http://127.0.0.1:1' }, candidate: { url: 'http://127.0.0.1:2' }, redis: { prefix: 'shop' } };

  it('names the partitions, their hash tags and the spread when there are several', () => {
    const line = describeConfig(createConfig({ ...base, queue: { partitions: 4, spread: 'even' } }))
      .split('\n')
      .find((l) => l.startsWith('queue '));
    expect(line).toBe(
      'queue      compare in 4 partitions, {shop} and {shop:queue:1} … {shop:queue:3} (spread by job id, evenly); every worker consumes all of them',
    );
  });

  it('says nothing more with one partition (the default)', () => {
    expect(describeConfig(createConfig(base))).not.toMatch(/^queue /m);
  });
});

describe('tandem config check: where the report, metrics and health listen', () => {
  const base = { legacy: { url: 'http://127.0.0.1:1' }, candidate: { url: 'http://127.0.0.1:2' }, listen: { port: 18200 } };
  const lines = (o: object) =>
    describeConfig(createConfig({ ...base, ...o }))
      .split('\n')
      .filter((l) => /^(report|metrics|health) /.test(l));

  it('shows the addresses tandem serve will listen on: the proxy port + 1 and + 2 by default', () => {
    expect(lines({})).toEqual([
      expect.stringMatching(/^report {5}127\.0\.0\.1:18201\/_tandem\/ \(token /),
      'metrics    127.0.0.1:18202/metrics',
      'health     127.0.0.1:18202/healthz, /readyz',
    ]);
  });

  it('a listener of its own, or mounted on the proxy', () => {
    expect(lines({ report: { listen: 'proxy' }, ops: { listen: { host: '0.0.0.0', port: 9000 } } })).toEqual([
      expect.stringMatching(/^report {5}0\.0\.0\.0:18200\/_tandem\//),
      'metrics    0.0.0.0:9000/metrics',
      'health     0.0.0.0:9000/healthz, /readyz',
    ]);
  });
});

/**
 * On a Redis Cluster each route's keys sit under its own hash tag: before, config check
 * printed the pattern `{prefix:r<mark>}`, which does not tell an operator which tag or slot
 * a route's keys are in (to find its shard: `CLUSTER KEYSLOT`, `CLUSTER NODES`).
 */
describe('tandem config check: where each route lives on a cluster', () => {
  const base = {
    legacy: { url: 'http://127.0.0.1:1' },
    candidate: { url: 'http://127.0.0.1:2' },
    routes: [
      { name: 'product', match: 'GET /p/:id' },
      { name: 'orders', match: 'GET /o' },
    ],
  };

  it("prints each route's hash tag and slot, and the deployment's", () => {
    const c = createConfig({ ...base, redis: { prefix: 'shop', cluster: { nodes: ['127.0.0.1:7000'] } } });
    const k = storeKeys(c.redis);
    const text = describeConfig(c);
    expect(text).not.toContain('<mark>');
    expect(text).toContain(`keys {shop} slot ${keySlot('{shop}')}:…; each route's keys under its own hash tag (column keys)`);
    for (const name of ['product', 'orders']) {
      const tag = k.routeTag(name);
      expect(tag).toMatch(/^\{shop:r[0-9a-f]{8}\}$/);
      const row = text.split('\n').find((l) => l.startsWith(`  ${name} `));
      expect(row).toContain(`${tag} slot ${keySlot(tag)}`);
    }
  });

  it('on one Redis with per-route tagging prints the tags without slots; with deployment tagging, no column', () => {
    const one = describeConfig(createConfig({ ...base, redis: { prefix: 'shop', url: 'redis://127.0.0.1:1', tagging: 'route' } }));
    expect(one).toMatch(/^ {2}product .* \{shop:r[0-9a-f]{8}\} {2}/m);
    expect(one).not.toContain(' slot ');
    const plain = describeConfig(createConfig({ ...base, redis: { prefix: 'shop', url: 'redis://127.0.0.1:1' } }));
    expect(plain).toContain('keys {shop}:…\n');
    expect(plain).not.toMatch(/\{shop:r/);
  });

  it('computes slots as Redis Cluster does (CRC16-XMODEM of the hash tag, mod 16384)', () => {
    // The specification's check value, CRC16("123456789") = 0x31C3, and its example key `foo`.
    expect(keySlot('123456789')).toBe(0x31c3);
    expect(keySlot('foo')).toBe(12182);
    expect(keySlot('{foo}:bar')).toBe(12182);
    // An empty tag is no tag: the whole key counts. Values as `CLUSTER KEYSLOT` answered them on Redis 7.
    expect(keySlot('{}foo')).toBe(9500);
    expect(keySlot('{shop:r1234abcd}:route:p:counters')).toBe(14946);
    expect(keySlot('{tandem}:anything')).toBe(1351);
  });
});

describe('tandem config check: the customer line', () => {
  const sides = { legacy: { url: 'http://127.0.0.1:1' }, candidate: { url: 'http://127.0.0.1:2' } };
  const line = (customer?: object) =>
    describeConfig(createConfig({ ...sides, ...(customer ? { customer } : {}) } as Parameters<typeof createConfig>[0]))
      .split('\n')
      .find((l) => l.startsWith('customer '));

  // A newcomer setting up per-customer rollout could not see from the check how customers were identified.
  it('says how a request is identified as a customer, or that none is', () => {
    expect(line()).toBe('customer   none: every request is `anonymous` (customer overrides and percentages never apply)');
    expect(line({ from: 'header', name: 'x-customer-id' })).toBe('customer   header x-customer-id');
    expect(line({ from: 'jwt', claim: 'tenant.id' })).toBe(
      'customer   jwt claim tenant.id of the bearer token in authorization, decoded only',
    );
  });

  it('never prints a JWT key', () => {
    const text = line({ from: 'jwt', jwtKey: 'a-secret-hmac-key-0123456789', jwtAlgorithms: ['HS256'] });
    expect(text).toBe('customer   jwt claim sub of the bearer token in authorization, signature verified (HS256)');
  });
});
