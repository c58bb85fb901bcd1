// Build once so tests that run the CLI or spawn processes use the current code, and make
// sure the Redis the tests use answers (else every suite fails slowly on retries).
const { execFileSync } = require('node:child_process');
const { connect } = require('node:net');
const { URL } = require('node:url');

/** PING the Redis at `url` over a plain socket; resolves true on +PONG within 3 s. */
function pings(url) {
  const { hostname, port } = new URL(url);
  return new Promise((done) => {
    const s = connect(Number(port) || 6379, hostname || '127.0.0.1', () => s.write('PING\r\n'));
    const end = (ok) => (s.destroy(), done(ok));
    s.setTimeout(3000, () => end(false));
    s.on('data', (d) => end(d.toString().startsWith('+PONG') || d.toString().startsWith('-NOAUTH')));
    s.on('error', () => end(false));
  });
}

module.exports = async () => {
  const redisUrl = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
  if (!(await pings(redisUrl))) {
    throw new Error(
      `The tests need a Redis at ${redisUrl} (REDIS_URL) and none answers. Start one ` +
        '(`redis-server --daemonize yes --save ""`, from Debian\'s redis-server package) or set REDIS_URL; ' +
        '`.ci/run` does both for you. The tests never start the embedded Redis.',
    );
  }
  // REDIS_CLUSTER_NODES (exported by .ci/run) is for the cluster tests only. Left in the
  // environment, createConfig would prefer it over REDIS_URL in every spawned CLI and
  // every config without its own Redis, and the single-Redis tests would run on the cluster
  // while they read and clean up 127.0.0.1:6379. test/support/cluster.ts reads it back.
  if (process.env.REDIS_CLUSTER_NODES) {
    process.env.TANDEM_TEST_CLUSTER_NODES = process.env.REDIS_CLUSTER_NODES;
    delete process.env.REDIS_CLUSTER_NODES;
  }
  // The cluster pass (jest.cluster.config.js) needs the cluster in every suite: find or
  // start it once here rather than once per suite (test/support/cluster.ts).
  if (process.env.TANDEM_TEST_REDIS === 'cluster' && !process.env.TANDEM_TEST_CLUSTER_NODES) {
    process.env.TANDEM_TEST_CLUSTER_NODES = execFileSync(__dirname + '/../.ci/redis-cluster', {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
      timeout: 60_000,
    }).trim();
  }
  // `npm test` runs jest twice (one Redis, then the cluster pass): the second time the
  // first has just built, and an up-to-date build still costs 5-20 s here.
  if (process.env.TANDEM_TEST_BUILT === '1') return;
  try {
    execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.json'], {
      cwd: __dirname + '/..',
      stdio: 'inherit',
    });
  } catch {
    // tsc still emits on type errors; `npm test` type-checks first and fails on them.
  }
};
