import { describeConfig } from '../../src/cli/config-command';
import { createConfig } from '../../src/config';

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
