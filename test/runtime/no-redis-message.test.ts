import { noRedisMessage } from '../../src/runtime';

// `cd /tmp && tandem rollout status -c /srv/cfg/tandem.yaml` while serve runs in /srv/cfg: the
// relative data folder is read from /tmp, and the message says so.
describe('what a joining command says when no tandem serve runs', () => {
  it('a relative redis.dataDir: names the folder it was read from and says to run from the one serve started in', () => {
    const text = noRedisMessage('tandem rollout', '/srv/cfg/tandem.yaml', '.tandem/redis', '/tmp');
    expect(text).toContain('runs the embedded Redis of /tmp/.tandem/redis.');
    expect(text).toContain(
      'redis.dataDir (.tandem/redis) is relative to the folder a command runs in (here /tmp), not to the config file: if `tandem serve` runs, run this from the folder it was started in.',
    );
  });

  it('an absolute one: no such hint', () => {
    expect(noRedisMessage('tandem worker', 'tandem.yaml', '/var/lib/tandem', '/tmp')).not.toContain('relative');
  });
});
