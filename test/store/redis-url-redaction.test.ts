import IORedis from 'ioredis';
import { HIDDEN_REDIS_URL, describeRedisTarget, redactRedisUrl } from '../../src/store';

const SECRET = 's3cret-value';

describe('redactRedisUrl: a Redis URL is shown without any password ioredis would use', () => {
  it.each([
    [`redis://:${SECRET}@127.0.0.1:6379/0`, 'redis://127.0.0.1:6379/0'],
    [`redis://user:${SECRET}@127.0.0.1:6379`, 'redis://user@127.0.0.1:6379'],
    [`redis://127.0.0.1:6379/0?password=${SECRET}`, 'redis://127.0.0.1:6379/0'],
    [`rediss://h:6380?db=1&password=${SECRET}&family=6`, 'rediss://h:6380?db=1&family=6'],
    [`redis://h:6379?Password=${SECRET}&sentinelPassword=${SECRET}`, 'redis://h:6379'],
    [`redis://:${SECRET}@h:6379?password=${SECRET}&password=${SECRET}`, 'redis://h:6379'],
  ])('%s -> %s', (url, shown) => {
    expect(redactRedisUrl(url)).toEqual({ shown, hidden: 'password' });
    expect(describeRedisTarget(url)).toBe(shown);
  });

  it('ioredis really takes the query password (so hiding only the userinfo is not enough)', () => {
    const r = new IORedis(`redis://127.0.0.1:6379?password=${SECRET}`, { lazyConnect: true });
    expect(r.options.password).toBe(SECRET);
    r.disconnect();
  });

  it('a URL without a password is shown as written', () => {
    expect(redactRedisUrl('redis://127.0.0.1:6379/2?family=6')).toEqual({ shown: 'redis://127.0.0.1:6379/2?family=6', hidden: 'nothing' });
  });

  it('a URL new URL cannot parse is hidden whole (where its password sits is unknown)', () => {
    for (const url of [`redis://:${SECRET}@h:99999`, `redis://:${SECRET}@[bad`, `redis://${SECRET}@h:x`]) {
      expect(redactRedisUrl(url)).toEqual({ shown: HIDDEN_REDIS_URL, hidden: 'url' });
      expect(describeRedisTarget(url)).not.toContain(SECRET);
    }
  });

  it('cluster seed nodes are shown as they are', () => {
    expect(describeRedisTarget({ cluster: { nodes: ['127.0.0.1:7000', '[::1]:7001'] } })).toBe('cluster 127.0.0.1:7000,[::1]:7001');
  });
});
