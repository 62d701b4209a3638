import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadImage } from '../../src/archive/loadImage.js';
import { InputError, InternalError, rethrowAt } from '../../src/errors.js';
import type { LayerRow } from '../../src/model/ids.js';
import { chunksOf, dockerArchive, makeTar, rawTarRecord, sha256, type TarItem } from '../helpers/buildArchive.js';
import { CLI } from '../helpers/runCli.js';

// Archives made to hurt: each is one clear line on stderr naming the archive and the member, exit 2, in bounded
// memory and time.

const dir = mkdtempSync(join(tmpdir(), 'fathom-hostile-'));
function file(name: string, content: Buffer): string {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
}

/** The CLI in a child with a small heap: what used to run out of memory now dies at 256 MB instead of the machine's. */
function fathom(path: string) {
  const r = spawnSync(process.execPath, ['--max-old-space-size=256', CLI, path], { timeout: 120_000 });
  return { status: r.status, signal: r.signal, stderr: r.stderr.toString() };
}

function assertBad(path: string, pattern: RegExp) {
  const r = fathom(path);
  assert.equal(r.signal, null, `finished: ${r.stderr.slice(0, 500)}`);
  assert.equal(r.status, 2, `exit 2: ${r.stderr.slice(0, 500)}`);
  const lines = r.stderr.trimEnd().split('\n');
  assert.equal(lines.length, 1, r.stderr.slice(0, 500));
  assert.match(lines[0]!, pattern);
}

test('an index 10 wide and 7 deep (10^7 manifests in a few KB) is refused by a cap on descriptors visited', async () => {
  const items: TarItem[] = [{ name: 'oci-layout', content: '{"imageLayoutVersion":"1.0.0"}' }];
  const put = (json: unknown) => {
    const b = Buffer.from(JSON.stringify(json));
    items.push({ name: `blobs/sha256/${sha256(b).slice(7)}`, content: b });
    return { digest: sha256(b), size: b.length };
  };
  const config = put({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [] } });
  let child = { mediaType: 'application/vnd.oci.image.manifest.v1+json', ...put({ schemaVersion: 2, config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...config }, layers: [] }) };
  for (let level = 0; level < 6; level++) {
    const index = { schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests: Array(10).fill(child) };
    child = { mediaType: 'application/vnd.oci.image.index.v1+json', ...put(index) };
  }
  items.push({ name: 'index.json', content: JSON.stringify({ schemaVersion: 2, manifests: Array(10).fill(child) }) });
  const archive = await makeTar(items);
  assert.ok(archive.length < 64 * 1024, `${archive.length} bytes`);
  const p = file('wide-deep.tar', archive);
  // before: every one of the 10^7 was visited (4.3 GB, a V8 out-of-memory abort, exit 134)
  assertBad(p, new RegExp(`^fathom: ${p}: index\\.json and its nested indexes name more than 10000 manifests`));
});

/** A tar made by tar-stream, rewritten as plain v7: no ustar magic, version, owner names or prefix. */
function asV7(ustar: Buffer): Buffer {
  const out = Buffer.from(ustar);
  for (let off = 0; off + 512 <= out.length; off += 512) {
    if (out.subarray(off + 257, off + 262).toString('latin1') !== 'ustar') continue;
    out.fill(0, off + 257, off + 500);
    out.fill(0x20, off + 148, off + 156);
    let sum = 0;
    for (let i = off; i < off + 512; i++) sum += out[i]!;
    out.write(sum.toString(8).padStart(6, '0') + '\0 ', off + 148, 'latin1');
  }
  return out;
}

test('a plain v7 tar layer (no ustar magic) is read, compressed or not', async () => {
  const v7 = asV7(await makeTar([{ name: 'etc/', type: 'directory' }, { name: 'etc/motd', content: 'v7\n' }]));
  assert.equal(v7.includes(Buffer.from('ustar')), false);
  // GNU tar agrees it is a tar (the independent reader)
  assert.deepEqual(spawnSync('tar', ['-t'], { input: v7 }).stdout.toString().trim().split('\n'), ['etc/', 'etc/motd']);
  for (const compression of ['none', 'gzip'] as const) {
    const archive = await dockerArchive([{ tag: 'v7:1', layers: [{ items: [], raw: v7, compression }] }]);
    // before: "not a tar, gzip or zstd layer" uncompressed, accepted gzip'd
    const img = await loadImage(chunksOf(archive), `v7-${compression}.tar`, { defaultPlatform: 'linux/amd64' });
    const paths: string[] = [];
    for (let row = 0; row < img.layers[0]!.files.count; row++) paths.push(img.layers[0]!.files.entry(row as LayerRow, 0).path);
    assert.deepEqual(paths, ['/etc', '/etc/motd'], compression);
  }
});

/** An OCI archive of one image whose index, manifest or config the caller rewrites. */
async function ociWith(edit: { digest?: string; layerSize?: number; config?: Buffer }): Promise<Buffer> {
  const layer = await makeTar([{ name: 'a', content: 'a' }]);
  const config = edit.config ?? Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [sha256(layer)] } }));
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha256(config), size: config.length },
      layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar', digest: sha256(layer), size: edit.layerSize ?? layer.length }],
    }),
  );
  const index = { schemaVersion: 2, manifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: edit.digest ?? sha256(manifest), size: manifest.length }] };
  return makeTar([
    { name: 'oci-layout', content: '{"imageLayoutVersion":"1.0.0"}' },
    { name: 'index.json', content: JSON.stringify(index) },
    ...[manifest, config, layer].map((b) => ({ name: `blobs/sha256/${sha256(b).slice(7)}`, content: b })),
  ]);
}

test('wrong or unclear messages made clear: each names the archive and the member', async () => {
  const noColon = file('digest-no-colon.tar', await ociWith({ digest: 'arm64' }));
  // before: "missing blobs/arm64/undefined"
  assertBad(noColon, new RegExp(`^fathom: ${noColon}: index\\.json manifests\\[0\\]: digest "arm64" is not ALGORITHM:HEX$`));
  const huge = file('size-2p60.tar', await ociWith({ layerSize: 2 ** 60 }));
  assertBad(huge, /: blobs\/sha256\/[0-9a-f]{64} layers\[0\]: size 11529215046068470\d\d is not a byte count$/);
  const stringConfig = Buffer.from(JSON.stringify('just a string'));
  const cfg = file('config-string.tar', await ociWith({ config: stringConfig }));
  // before: "missing image config"
  assertBad(cfg, new RegExp(`^fathom: ${cfg}: image config blobs/sha256/${sha256(stringConfig).slice(7)} is not a JSON object$`));
  const empty = file('empty-manifest.tar', await makeTar([{ name: 'manifest.json', content: '[]' }]));
  // before: "the index lists no runnable image" for an archive that has no index
  assertBad(empty, new RegExp(`^fathom: ${empty}: manifest\\.json lists no image$`));
});

test('an outer member named manifest.json\\0evil does not silently replace manifest.json', async () => {
  const good = await dockerArchive([{ tag: 'good:1', layers: [{ items: [{ name: 'ok', content: 'ok' }] }] }]);
  // a second member whose name field reads "manifest.json\0evil": every tar reader stops the name at the NUL
  const evil = rawTarRecord('0', 'manifest.json\0evil', JSON.stringify([{ Config: 'x.json', RepoTags: ['evil:1'], Layers: [] }]));
  const archive = Buffer.concat([good.subarray(0, good.length - 1024), evil, Buffer.alloc(1024)]);
  assert.deepEqual(spawnSync('tar', ['-t'], { input: archive }).stdout.toString().trim().split('\n').filter((n) => n === 'manifest.json').length, 2, 'tar(1) sees two manifest.json');
  const p = file('evil-manifest.tar', archive);
  assertBad(p, new RegExp(`^fathom: ${p}: manifest\\.json appears twice in the archive with different contents$`));
});

test("fathom's own faults carry the file, the member and the path they happened on; input errors pass unchanged", () => {
  const where = 'img.tar: blobs/sha256/ab: /usr/bin/tool';
  const bug = new RangeError('The value of "offset" is out of range');
  assert.throws(() => rethrowAt(where, bug), (err: Error) => {
    assert.ok(err instanceof InternalError);
    assert.equal(err.message, `${where}: The value of "offset" is out of range`);
    assert.equal(err.cause, bug);
    return true;
  });
  const input = new InputError('img.tar: not a tar');
  assert.throws(() => rethrowAt(where, input), (err: Error) => err === input);
});
