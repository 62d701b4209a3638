import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { makeTar, sha256, zstdCompress, type TarItem } from '../helpers/buildArchive.js';
import { runCli } from '../helpers/runCli.js';
import { DIVE_FIXTURE } from '../helpers/shared.js';

const dir = mkdtempSync(join(tmpdir(), 'fathom-bad-'));
function file(name: string, content: Buffer | string): string {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
}

/** Bad input: exit 2, exactly one line on stderr naming the file and the problem, no stack trace, no stdout. */
function assertBad(args: string[], pattern: RegExp, input?: Buffer) {
  const r = runCli(args, input ? { input } : {});
  assert.equal(r.status, 2, `exit code; stderr: ${r.stderr}`);
  const lines = r.stderr.trimEnd().split('\n');
  assert.equal(lines.length, 1, `one line: ${r.stderr}`);
  assert.match(lines[0]!, /^fathom: /);
  assert.match(lines[0]!, pattern);
  assert.doesNotMatch(r.stderr, /\n\s+at |Error:/);
  assert.equal(r.stdout, '');
}

/** An OCI archive written blob by blob, so a test can break exactly one thing. */
async function oci(opts: {
  layer?: Buffer;
  layerMediaType?: string;
  diffId?: string;
  omitLayer?: boolean;
  omitConfig?: boolean;
  corruptBlobName?: boolean;
}): Promise<Buffer> {
  const tarBytes = await makeTar([{ name: 'a.txt', content: 'hello' }]);
  const layer = opts.layer ?? gzipSync(tarBytes);
  const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', config: {}, rootfs: { type: 'layers', diff_ids: [opts.diffId ?? sha256(tarBytes)] } }));
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha256(config), size: config.length },
      layers: [{ mediaType: opts.layerMediaType ?? 'application/vnd.oci.image.layer.v1.tar+gzip', digest: sha256(layer), size: layer.length }],
    }),
  );
  const index = JSON.stringify({ schemaVersion: 2, manifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: sha256(manifest), size: manifest.length }] });
  const items: TarItem[] = [
    { name: 'oci-layout', content: '{"imageLayoutVersion":"1.0.0"}' },
    { name: 'index.json', content: index },
    { name: `blobs/sha256/${sha256(manifest).slice(7)}`, content: manifest },
  ];
  if (!opts.omitConfig) items.push({ name: `blobs/sha256/${sha256(config).slice(7)}`, content: config });
  if (!opts.omitLayer) {
    const stored = opts.corruptBlobName ? Buffer.concat([layer.subarray(0, layer.length - 1), Buffer.from([layer[layer.length - 1]! ^ 1])]) : layer;
    items.push({ name: `blobs/sha256/${sha256(layer).slice(7)}`, content: stored });
  }
  return makeTar(items);
}

test('a missing file', () => assertBad([join(dir, 'nope.tar')], /nope\.tar: no such file/));
test('a directory', () => assertBad([dir], /is a directory, not an image archive/));
test('an empty file', () => assertBad([file('empty.tar', '')], /empty\.tar: empty file, not an image archive/));
test('a text file', () => assertBad([file('notes.txt', 'hello, this is not a tar\n'.repeat(40))], /notes\.txt: not an image archive/));
test('a tar that holds no image', async () => {
  assertBad([file('plain.tar', await makeTar([{ name: 'README', content: 'hi' }]))], /plain\.tar: no manifest\.json or index\.json/);
});
test('a truncated archive', () => {
  const whole = readFileSync(DIVE_FIXTURE);
  assertBad([file('truncated.tar', whole.subarray(0, 700_000))], /truncated\.tar: .*(truncated|unexpected end)/);
});
test('a truncated gzip-compressed archive', () => {
  const gz = gzipSync(readFileSync(DIVE_FIXTURE));
  assertBad([file('truncated.tar.gz', gz.subarray(0, Math.floor(gz.length / 2)))], /truncated\.tar\.gz: .*(truncated|unexpected end|corrupt gzip)/);
});
test('a corrupt gzip layer', async () => {
  const good = gzipSync(await makeTar([{ name: 'a.txt', content: 'x'.repeat(5000) }]));
  const bad = Buffer.from(good);
  for (let i = 20; i < 40; i++) bad[i] = 0xff;
  assertBad([file('badgz.tar', await oci({ layer: bad }))], /badgz\.tar: blobs\/sha256\/\w+: corrupt gzip stream/);
});
test('a corrupt zstd layer', async () => {
  const good = zstdCompress(await makeTar([{ name: 'a.txt', content: 'y'.repeat(5000) }]));
  const bad = Buffer.from(good);
  for (let i = 8; i < 30; i++) bad[i] = 0xee;
  assertBad([file('badzstd.tar', await oci({ layer: bad, layerMediaType: 'application/vnd.oci.image.layer.v1.tar+zstd' }))], /badzstd\.tar: blobs\/sha256\/\w+: corrupt zstd stream/);
});
test('a missing layer blob', async () => assertBad([file('nolayer.tar', await oci({ omitLayer: true }))], /nolayer\.tar: layer 0 \(sha256:\w+\) is missing from the archive/));
test('a missing config', async () => assertBad([file('noconfig.tar', await oci({ omitConfig: true }))], /noconfig\.tar: missing image config blobs\/sha256\/\w+/));
test('a blob whose content does not match its digest', async () => {
  assertBad([file('digest.tar', await oci({ corruptBlobName: true }))], /digest\.tar: .*(corrupt|digest)/);
});
test('a layer whose uncompressed digest does not match the diff_id', async () => {
  assertBad([file('diffid.tar', await oci({ diffId: 'sha256:' + '0'.repeat(64) }))], /diffid\.tar: layer 0 .* does not match the config's diff_id/);
});
test('an unknown layer media type', async () => {
  assertBad([file('media.tar', await oci({ layerMediaType: 'application/vnd.example.weird' }))], /media\.tar: layer 0 .* unknown media type application\/vnd\.example\.weird/);
});
test('stdin with nothing on it', () => assertBad(['-'], /stdin: empty file, not an image archive/));
test('no IMAGE at all', () => assertBad([], /no IMAGE given/));
test('an unknown option', () => assertBad([DIVE_FIXTURE, '--frobnicate'], /Unknown argument: frobnicate/));
