// Build once so tests that run the CLI or spawn processes use the current code.
const { execFileSync } = require('node:child_process');
module.exports = async () => {
  try {
    execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.json'], { cwd: __dirname + '/..', stdio: 'inherit' });
  } catch {
    // tsc still emits on type errors; `npm test` type-checks first and fails on them.
  }
};
