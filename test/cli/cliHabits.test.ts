// What a new user meets on day one: version and help, pipes, colour variables, argument mistakes, the gate's
// exit-code options, and `fathom build` without `--`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI, ROOT, runCli } from '../helpers/runCli.js';
import { DIVE_FIXTURE, IMAGES, sharedAvailable } from '../helpers/shared.js';

const skip = sharedAvailable() ? undefined : 'no ../shared/images';
const SETUID = join(IMAGES, 'corpus-rules', 'docker-engine', 'setuid-tiny.tar');
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'fathom-habits-'));
  // a host project of its own version: fathom must print its own, not this one
  writeFileSync(join(dir, 'package.json'), '{"name":"host-project","version":"9.9.9"}');
  return dir;
}
/** Run a shell command line on a pseudo-terminal (util-linux script), as a person at a terminal would. */
function onTerminal(command: string, cwd: string, env: Record<string, string> = {}) {
  return spawnSync('script', ['-qec', command, '/dev/null'], { cwd, encoding: 'utf8', env: { PATH: process.env['PATH'], HOME: cwd, TERM: 'xterm', ...env }, timeout: 120_000, input: '' });
}
const node = JSON.stringify(process.execPath);
const cli = JSON.stringify(CLI);

test("--version and -v print fathom's version from any directory; -h is --help", () => {
  const dir = project();
  for (const flag of ['--version', '-v']) {
    const r = runCli([flag], { cwd: dir });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, `${VERSION}\n`, flag);
  }
  const h = runCli(['-h'], { cwd: dir });
  assert.equal(h.status, 0);
  assert.equal(h.stdout, runCli(['--help'], { cwd: dir }).stdout);
});

test('--help gives examples, the exit codes and the environment; build --help shows the -- BUILD-ARGS form', () => {
  const h = runCli(['--help']).stdout;
  assert.match(h, /Examples:/);
  assert.match(h, /Exit codes: 0 pass/);
  for (const v of ['CI', 'FORCE_COLOR', 'NO_COLOR', 'DOCKER_HOST', 'REGISTRY_AUTH_FILE']) assert.match(h, new RegExp(`\\b${v}\\b`), v);
  assert.match(runCli(['build', '--help']).stdout, /-- BUILD-ARGS/);
});

test('a closed pipe is not an error: fathom rules | head -1, and a JSON report cut short', (t) => {
  if (skip) return t.skip(skip);
  for (const command of [`${node} ${cli} rules | head -1`, `${node} ${cli} ${JSON.stringify(SETUID)} --format json | head -c 50`]) {
    const r = spawnSync('bash', ['-c', `set -o pipefail; ${command}`], { encoding: 'utf8' });
    assert.equal(r.status, 0, `${command}: ${r.stderr}`);
    assert.doesNotMatch(r.stderr, /EPIPE|Error/, command);
  }
});

test('FORCE_COLOR forces colour off a terminal; NO_COLOR turns it off only when it is not empty', (t) => {
  if (skip) return t.skip(skip);
  const dir = project();
  const ansi = /\x1b\[\d+(;\d+)*m/;
  assert.match(runCli([SETUID, '--ci'], { cwd: dir, env: { FORCE_COLOR: '1' } }).stdout, ansi);
  assert.doesNotMatch(runCli([SETUID, '--ci'], { cwd: dir, env: { FORCE_COLOR: '0' } }).stdout, ansi);
  const tty = (env: Record<string, string>) => onTerminal(`${node} ${cli} ${JSON.stringify(SETUID)} --ci`, dir, env).stdout;
  assert.match(tty({ NO_COLOR: '' }), ansi, 'an empty NO_COLOR does not count');
  assert.doesNotMatch(tty({ NO_COLOR: '1' }), ansi);
});

test('an extra positional argument is an error naming it', () => {
  const r = runCli(['a.tar', 'b.tar']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /^fathom: Unknown argument: b\.tar\n$/);
});

test('--json FILE on a terminal writes the file and does not open the browser (dive -j)', (t) => {
  if (skip) return t.skip(skip);
  const dir = project();
  const r = onTerminal(`${node} ${cli} ${JSON.stringify(DIVE_FIXTURE)} -j out.json`, dir);
  assert.equal(r.status, 0, r.stdout);
  assert.ok(existsSync(join(dir, 'out.json')));
  assert.match(r.stdout, /wrote out\.json/);
  assert.doesNotMatch(r.stdout, /Layers|Filetree/, 'no browser');
});

test('--no-fail and --fail-on decide the exit code in CI mode; --fail-on takes error, warn, never', (t) => {
  if (skip) return t.skip(skip);
  const dir = project();
  const ci = (archive: string, ...args: string[]) => runCli([archive, ...args], { cwd: dir, env: { CI: 'true' } });
  // the dive fixture fails highestUserWastedPercent; setuid-tiny only warns (root-user, setuid-setgid)
  assert.equal(ci(DIVE_FIXTURE).status, 1);
  assert.equal(ci(DIVE_FIXTURE, '--no-fail').status, 0);
  assert.equal(ci(DIVE_FIXTURE, '--fail-on', 'never').status, 0);
  assert.equal(ci(SETUID).status, 0);
  assert.equal(ci(SETUID, '--fail-on', 'warn').status, 1);
  const bad = ci(SETUID, '--fail-on', 'sometimes');
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /^fathom: --fail-on sometimes: use error/);
});

test('--ignore RULE, repeatable, turns rules off for the run; an unknown one is an error', (t) => {
  if (skip) return t.skip(skip);
  const dir = project();
  const r = runCli([SETUID, '--ci', '--ignore', 'setuid-setgid', '--ignore', 'root-user', '--fail-on', 'warn'], { cwd: dir });
  assert.equal(r.status, 0, r.stdout);
  assert.match(r.stdout, /^ {2}SKIP: setuid-setgid: rule disabled/m);
  assert.match(r.stdout, /^ {2}SKIP: root-user: rule disabled/m);
  const t2 = runCli([DIVE_FIXTURE, '--ci', '--ignore', 'highestUserWastedPercent'], { cwd: dir });
  assert.match(t2.stdout, /^ {2}SKIP: highestUserWastedPercent: rule disabled/m);
  const bad = runCli([SETUID, '--ci', '--ignore', 'nope'], { cwd: dir });
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /^fathom: --ignore nope: unknown rule/);
});

test('fathom build -t app . works without --; an option both fathom and the build have asks for --', () => {
  const dir = project();
  // an engine that does not exist: the arguments were understood when the engine is what is refused
  const r = runCli(['build', '-t', 'app:dev', '.', '--engine', 'nope'], { cwd: dir });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /^fathom: --engine nope: use docker or podman\n$/);
  const amb = runCli(['build', '--platform', 'linux/amd64', '-t', 'app:dev', '.'], { cwd: dir });
  assert.equal(amb.status, 2);
  assert.match(amb.stderr, /--platform is an option of both fathom and the build; say whose with --: fathom's: fathom build --platform linux\/amd64 -- -t app:dev \.; the build's: fathom build -- --platform linux\/amd64 -t app:dev \.\n$/);
});
