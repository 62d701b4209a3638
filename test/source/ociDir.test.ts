import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ociArchive, makeTar } from '../helpers/buildArchive.js';
import { CLI, cliEnv } from '../helpers/runCli.js';

// `fathom oci:DIR`: only regular files are read, each for the size its descriptor declares.

const root = mkdtempSync(join(tmpdir(), 'fathom-ocidir-'));
let archivePath = '';
let layerHex = '';

/** A fresh OCI layout directory, unpacked with tar(1) from an OCI archive built in the test. */
async function layout(name: string): Promise<string> {
  if (!archivePath) {
    const archive = await ociArchive([
      { tag: 'a:1', layers: [{ items: [{ name: 'etc/' }, { name: 'etc/hostname', content: 'box\n' }], compression: 'gzip' }, { items: [{ name: 'app', content: 'x'.repeat(5000) }] }] },
    ]);
    archivePath = join(root, 'image.tar');
    writeFileSync(archivePath, archive);
    const index = JSON.parse(execFileSync('tar', ['-xOf', archivePath, 'index.json']).toString()) as { manifests: Array<{ digest: string }> };
    const manifest = JSON.parse(execFileSync('tar', ['-xOf', archivePath, `blobs/sha256/${index.manifests[0]!.digest.slice(7)}`]).toString()) as { layers: Array<{ digest: string }> };
    layerHex = manifest.layers[1]!.digest.slice(7);
  }
  const dir = join(root, name);
  mkdirSync(dir);
  execFileSync('tar', ['-xf', archivePath, '-C', dir]);
  return dir;
}

/** Bounded by a hang guard (the runs take about a second), never by a measurement. */
function fathom(args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { timeout: 60_000, env: cliEnv() });
  return { status: r.status, signal: r.signal, stdout: r.stdout.toString(), stderr: r.stderr.toString() };
}

function assertBad(dir: string, pattern: RegExp) {
  const r = fathom([`oci:${dir}`]);
  assert.equal(r.signal, null, `no hang (killed by the guard): ${r.stderr}`);
  assert.equal(r.status, 2, `exit 2: ${r.stderr}`);
  const lines = r.stderr.trimEnd().split('\n');
  assert.equal(lines.length, 1, r.stderr);
  assert.match(lines[0]!, pattern);
  assert.doesNotMatch(r.stderr, /\n\s+at /);
}

const withoutSource = (text: string) => {
  const { source: _s, ...rest } = JSON.parse(text) as { source?: unknown };
  void _s;
  return rest;
};

test('a layout directory reads as its archive does; files nothing names (a directory, a FIFO) are never opened', async () => {
  const dir = await layout('valid');
  const fromArchive = fathom(['--format', 'json', archivePath]);
  assert.equal(fromArchive.status, 0, fromArchive.stderr);
  mkdirSync(join(dir, 'blobs', 'sha256', 'subdir'));
  assert.equal(spawnSync('mkfifo', [join(dir, 'blobs', 'sha256', 'a-fifo')]).status, 0);
  const r = fathom(['--format', 'json', `oci:${dir}`]);
  assert.equal(r.signal, null, 'no hang');
  assert.equal(r.status, 0, `before: a stack trace and exit 1 for the subdirectory: ${r.stderr}`);
  assert.deepEqual(withoutSource(r.stdout), withoutSource(fromArchive.stdout));
});

test('a layer blob that is a directory, a FIFO or a link to /dev/zero is one clear error, not a hang', async () => {
  for (const [name, replace] of [
    ['dir', (p: string) => mkdirSync(p)],
    ['fifo', (p: string) => assert.equal(spawnSync('mkfifo', [p]).status, 0)],
    ['zero', (p: string) => symlinkSync('/dev/zero', p)],
  ] as const) {
    const dir = await layout(`blob-${name}`);
    const blob = join(dir, 'blobs', 'sha256', layerHex);
    rmSync(blob);
    replace(blob);
    assertBad(dir, new RegExp(`^fathom: oci:${dir}: blobs/sha256/${layerHex} is not a regular file$`));
  }
});

test('a blob longer than its descriptor says is refused by its size, not read to its end', async () => {
  const dir = await layout('longer');
  appendFileSync(join(dir, 'blobs', 'sha256', layerHex), await makeTar([{ name: 'extra', content: 'more' }]));
  assertBad(dir, new RegExp(`^fathom: oci:${dir}: blobs/sha256/${layerHex} is \\d+ bytes, its descriptor says \\d+$`));
});

test('a digest that would leave the layout (sha256:../..) is refused as a digest', async () => {
  const dir = await layout('escape');
  const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as { manifests: Array<{ digest: string }> };
  index.manifests[0]!.digest = 'sha256:../../../../etc/passwd';
  writeFileSync(join(dir, 'index.json'), JSON.stringify(index));
  assertBad(dir, /^fathom: oci:.*index\.json manifests\[0\]: digest "sha256:\.\.\/\.\.\/\.\.\/\.\.\/etc\/passwd" is not ALGORITHM:HEX$/);
  assert.ok(readdirSync(dir).includes('index.json'));
});
