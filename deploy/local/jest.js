// Runs every suite in one process, one file at a time: integration files share one broker
// (and one of them stops and restarts it). With DUBAN_JEST_JSON set, also writes a summary.
const { spawnSync } = require('node:child_process');
// --forceExit: a leaked socket in some test must fail that test, not hang CI for 90 minutes.
const args = ['--runInBand', '--forceExit', ...process.argv.slice(2)];
if (process.env.DUBAN_JEST_JSON) args.push('--json', `--outputFile=${process.env.DUBAN_JEST_JSON}`);
const jest = require.resolve('jest/bin/jest');
const result = spawnSync(process.execPath, [jest, ...args], { stdio: 'inherit' });
process.exit(result.status ?? 1);
