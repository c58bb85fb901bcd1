// Build once so tests that run the CLI or spawn processes use the current code.
const { execFileSync } = require('node:child_process');
module.exports = async () => {
  // REDIS_CLUSTER_NODES (exported by .ci/run) is for the cluster tests only. Left in the
  // environment, createConfig would prefer it over REDIS_URL in every spawned CLI and
  // every config without its own Redis, and the single-Redis tests would run on the cluster
  // while they read and clean up 127.0.0.1:6379. test/support/cluster.ts reads it back.
  if (process.env.REDIS_CLUSTER_NODES) {
    process.env.TANDEM_TEST_CLUSTER_NODES = process.env.REDIS_CLUSTER_NODES;
    delete process.env.REDIS_CLUSTER_NODES;
  }
  try {
    execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.json'], {
      cwd: __dirname + '/..',
      stdio: 'inherit',
    });
  } catch {
    // tsc still emits on type errors; `npm test` type-checks first and fails on them.
  }
};
