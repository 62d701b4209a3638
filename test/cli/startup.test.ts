import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CLI, ROOT, runCli } from '../helpers/runCli.js';

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
