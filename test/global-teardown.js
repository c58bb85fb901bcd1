// After the whole run (jest.config.js `globalTeardown`). The pass must end by itself: a
// handle left open means a suite did not clean up, and jest would wait for it forever (a
// clean-clone CI once waited until its 90-minute limit). With one worker (2 cores) the suites
// run in this process, so a hang shows here: name what still keeps it alive, and fail.
const { setTimeout } = require('node:timers');
const GRACE_MS = Number(process.env.TANDEM_TEST_EXIT_GRACE_MS || 30_000);

module.exports = async () => {
  const timer = setTimeout(() => {
    const alive = process
      .getActiveResourcesInfo()
      .filter((r) => r !== 'Timeout' && r !== 'TTYWrap')
      .join(', ');
    process.stderr.write(
      `\njest did not exit ${GRACE_MS / 1000} s after the run: something a suite opened is still alive ` +
        `(${alive || 'timers only'}). Failing the run; find it with \`npx jest --detectOpenHandles <suite>\`.\n`,
    );
    process.exit(1);
  }, GRACE_MS);
  timer.unref();
};
