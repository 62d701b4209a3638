import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { HELP_FILE, staticHelp } from '../../src/cli/staticHelp.js';
import { CLI, cliEnv, ROOT, runCli } from '../helpers/runCli.js';
import { DIVE_FIXTURE } from '../helpers/shared.js';

// The CLI as `bin` runs it is esbuild's bundle of what tsc emitted (scripts/bundleCli.mjs): these check that the
// bundle says what the modules say, and the premise of its string-width wrapper.

test('--version prints the version in package.json (answered before yargs loads)', () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string; bin: { fathom: string } };
  assert.equal(join(ROOT, pkg.bin.fathom), CLI, 'the tests run what bin points to');
  const r = runCli(['--version']);
  assert.equal(r.status, 0);
  assert.equal(r.stdout, `${pkg.version}\n`);
});

test("the bundle's --help is the modules' --help, byte for byte (the string-width wrapper lays out the same)", () => {
  const r = runCli(['--help']);
  const modules = spawnSync(process.execPath, [join(ROOT, 'dist', 'src', 'cli', 'main.js'), '--help'], { cwd: ROOT });
  assert.equal(r.status, 0);
  assert.match(r.stdout, /fathom diff <base> <head>/);
  assert.match(r.stdout, /--highestWastedBytes/);
  assert.equal(r.stdout, modules.stdout.toString());
});

test('--help and -h print the text rendered at build time, and it is what yargs itself prints for them', () => {
  const rendered = readFileSync(join(ROOT, 'dist', 'cli', HELP_FILE), 'utf8');
  assert.match(rendered, /fathom diff <base> <head>/);
  // the modules as tsc emitted them have no rendered text beside them: there yargs answers, in each language the
  // fast path accepts as English
  for (const env of [{}, { LANG: 'C' }, { LC_ALL: 'POSIX' }, { LANG: 'en_GB.UTF-8' }, { LANG: 'de_DE.UTF-8', LC_MESSAGES: 'en_US.UTF-8' }]) {
    for (const flag of ['--help', '-h']) {
      const fast = runCli([flag], { env: { LANG: undefined, LC_ALL: undefined, LC_MESSAGES: undefined, LANGUAGE: undefined, ...env } });
      const yargs = spawnSync(process.execPath, [join(ROOT, 'dist', 'src', 'cli', 'main.js'), flag], {
        cwd: ROOT,
        env: cliEnv({ LANG: undefined, LC_ALL: undefined, LC_MESSAGES: undefined, LANGUAGE: undefined, ...env }),
      });
      assert.equal(fast.status, 0);
      assert.equal(fast.stdout, rendered, `${flag} ${JSON.stringify(env)}`);
      assert.equal(fast.stdout, yargs.stdout.toString(), `${flag} ${JSON.stringify(env)}`);
    }
  }
});

test('on a terminal, a wide one gets the rendered help and a narrow one yargs\' own layout for its width', () => {
  // script(1) (util-linux) gives the CLI a terminal of the given width
  const onTerminal = (cols: number, entry: string) =>
    spawnSync('script', ['-qc', `stty cols ${cols}; exec "${process.execPath}" "${entry}" --help`, '/dev/null'], { cwd: ROOT, env: cliEnv({ LANG: undefined, LC_ALL: undefined }) })
      .stdout.toString()
      .replace(/\r\n/g, '\n');
  const rendered = readFileSync(join(ROOT, 'dist', 'cli', HELP_FILE), 'utf8');
  const modules = join(ROOT, 'dist', 'src', 'cli', 'main.js');
  assert.equal(onTerminal(120, CLI), rendered);
  assert.equal(onTerminal(120, modules), rendered);
  const narrow = onTerminal(60, CLI);
  assert.notEqual(narrow, rendered);
  assert.equal(narrow, onTerminal(60, modules));
  assert.ok(narrow.split('\n').every((line) => line.length <= 60), 'laid out for 60 columns');
});

test('the rendered help is used only where yargs would lay out the same text', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fathom-help-'));
  try {
    writeFileSync(join(dir, HELP_FILE), 'rendered\n');
    const url = pathToFileURL(dir + '/');
    const en = { LANG: 'en_US.UTF-8' };
    assert.equal(staticHelp(['--help'], undefined, en, url), 'rendered\n');
    assert.equal(staticHelp(['-h'], 120, {}, url), 'rendered\n', 'a wide terminal: yargs lays out 80 columns');
    assert.equal(staticHelp(['--help'], 80, { LC_ALL: 'C' }, url), 'rendered\n');
    assert.equal(staticHelp(['--help'], 79, en, url), undefined, 'a narrower terminal');
    assert.equal(staticHelp(['--help'], undefined, { LANG: 'de_DE.UTF-8' }, url), undefined, 'another language');
    assert.equal(staticHelp(['--help'], undefined, { LANG: 'en_US', LC_ALL: 'fr_FR' }, url), undefined, 'LC_ALL first');
    assert.equal(staticHelp(['--help'], undefined, { YARGS_DISABLE_WRAP: '1' }, url), undefined, 'no wrapping');
    for (const argv of [['diff', '--help'], ['--help', '--ci'], ['--version'], []]) assert.equal(staticHelp(argv, undefined, en, url), undefined, argv.join(' '));
    assert.equal(staticHelp(['--help'], undefined, en, pathToFileURL(join(dir, 'none') + '/')), undefined, 'no rendered text');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('every installed string-width gives printable ASCII its length, as the bundle assumes', async () => {
  const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, unknown> };
  const copies = Object.keys(lock.packages).filter((p) => /(^|\/)node_modules\/string-width$/.test(p));
  assert.ok(copies.length >= 2, `string-width copies: ${copies.join(', ')}`);
  const ascii = Array.from({ length: 0x7f - 0x20 }, (_, i) => String.fromCharCode(0x20 + i));
  const samples = [...ascii, ascii.join(''), '#', '*', '0123456789', '  fathom diff <base> <head>  ', '[string] [required]'];
  for (const copy of copies) {
    const dir = join(ROOT, copy);
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { exports?: { default?: string }; main?: string };
    const entry = pkg.exports?.default ?? pkg.main ?? 'index.js';
    const { default: stringWidth } = (await import(pathToFileURL(join(dir, entry)).href)) as { default: (s: string) => number };
    for (const s of samples) assert.equal(stringWidth(s), s.length, `${copy}: ${JSON.stringify(s)}`);
    // and it is not the identity elsewhere: the wrapper must hand these to it
    assert.equal(stringWidth('\u001b[1mbold\u001b[22m'), 4, copy);
    assert.equal(stringWidth('日本'), 4, copy);
    assert.equal(stringWidth('a\tb'), 2, copy);
  }
});

test('`fathom REF` alone, answered without yargs, is what yargs gives: the same report, lines and exit code', () => {
  const fixture = DIVE_FIXTURE;
  const env = { CI: 'true' };
  // with --ci (the same mode as CI=true) the command line goes through yargs
  for (const [fast, viaYargs, input] of [
    [[fixture], ['--ci', fixture], ''],
    [['/nonexistent/image.tar'], ['--ci', '/nonexistent/image.tar'], ''],
    [['-'], ['--ci', '-'], readFileSync(fixture)],
  ] as const) {
    const a = runCli([...fast], { env, input });
    const b = runCli([...viaYargs], { env, input });
    assert.equal(a.stdout, b.stdout, fast[0]);
    assert.equal(a.stderr, b.stderr, fast[0]);
    assert.equal(a.status, b.status, fast[0]);
  }
  assert.match(runCli([fixture], { env }).stdout, /efficiency/i);
  assert.equal(runCli(['/nonexistent/image.tar'], { env }).status, 2);
});
