// `fathom build` without `--`: an option both fathom and the build have is refused with the command written both
// ways, fathom's other options kept before `--`, the build's arguments in their order.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { splitBuildArgv } from '../../src/cli/buildArgv.js';

const refusal = (argv: string[]) => {
  try {
    splitBuildArgv(argv);
  } catch (err) {
    return (err as Error).message;
  }
  return 'accepted';
};

test('--platform: which option, and both commands, with fathom --ci before --', () => {
  assert.equal(
    refusal(['build', '--ci', '--platform', 'linux/amd64', '-t', 'app:dev', '.']),
    "fathom build: --platform is an option of both fathom and the build; say whose with --: fathom's: fathom build --ci --platform linux/amd64 -- -t app:dev .; the build's: fathom build --ci -- --platform linux/amd64 -t app:dev .",
  );
});

test("-v is podman build's --volume and fathom's --version: refused, the volume kept after its -v", () => {
  assert.equal(
    refusal(['build', '-t', 'a b', '-v', '/x:/y', '--fail-on', 'warn', '.']),
    "fathom build: -v is an option of both fathom and the build; say whose with --: fathom's: fathom build --fail-on warn -v -- -t 'a b' /x:/y .; the build's: fathom build --fail-on warn -- -t 'a b' -v /x:/y .",
  );
});

test('unambiguous arguments still split without --', () => {
  assert.deepEqual(splitBuildArgv(['build', '-t', 'app', '--ci', '.']), ['build', '--ci', '--', '-t', 'app', '.']);
});
