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
