import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { analyzeImage } from '../../src/analysis/analyzeImage.js';
import { loadImage } from '../../src/archive/loadImage.js';
import type { FileEntry } from '../../src/model/entryTypes.js';
import type { Image } from '../../src/model/imageTypes.js';
import { historyMap, layerEntries } from '../helpers/model.js';
import { chunksOf, dockerArchive, makeTar, rawTar, rawTarRecord, type LayerSpec } from '../helpers/buildArchive.js';
import { IMAGES, loadFile } from '../helpers/shared.js';

async function image(layers: LayerSpec[]): Promise<Image> {
  const buf = await dockerArchive([{ layers, tag: 'test:latest' }]);
  return loadImage(chunksOf(buf), 'test.tar', { defaultPlatform: 'linux/amd64' });
}

/** The merged filesystem at the top: path → entry, for entries nothing hid. */
function finalTree(img: Image): Map<string, FileEntry> {
  const out = new Map<string, FileEntry>();
  for (const [path, events] of historyMap(img.files)) {
    for (const e of events) if (e.type === 'entry' && e.hiddenBy < 0) out.set(path, e);
  }
  return out;
}

const base: LayerSpec = {
  items: [
    { name: 'etc/' },
    { name: 'etc/passwd', content: 'root:x:0:0::/root:/bin/sh\n' },
    { name: 'app/' },
    { name: 'app/a.txt', content: 'a'.repeat(100) },
    { name: 'app/sub/' },
    { name: 'app/sub/b.txt', content: 'b'.repeat(50) },
  ],
};

test('a .wh. file deletes the path; dive charges 0 for a deleted file', async () => {
  const img = await image([base, { items: [{ name: 'app/' }, { name: 'app/.wh.a.txt', content: '' }] }]);
  const t = finalTree(img);
  assert.ok(!t.has('/app/a.txt'));
  const a = analyzeImage(img);
  const f = a.inefficient.find((x) => x.path === '/app/a.txt')!;
  assert.deepEqual(f.appearances.map((x) => x.size), [100, 0]);
  assert.equal(a.reclaimableBytes, 100);
  assert.deepEqual(a.hidden.slice().map((h) => [h.path, h.writtenBy, h.hiddenBy, h.how]), [['/app/a.txt', 0, 1, 'deleted']]);
});

test('a whiteout of a directory charges the whole subtree below it, as dive does', async () => {
  const img = await image([base, { items: [{ name: '.wh.app', content: '' }] }]);
  const t = finalTree(img);
  assert.deepEqual([...t.keys()].filter((p) => p.startsWith('/app')), []);
  const a = analyzeImage(img);
  const wh = layerEntries(img.layers[1]!).find((e) => e.type === 'whiteout')!;
  assert.equal((wh as { deletedSize: number }).deletedSize, 150, '100 + 50 bytes below /app');
  // /app was not a leaf in layer 0 (it has children), so the whiteout is its only appearance: dive sees no
  // waste at all in `rm -rf` of a directory from an earlier layer; fathom's reclaimable figure does
  assert.equal(a.inefficient.length, 0);
  assert.equal(a.efficiency, 1);
  assert.equal(a.reclaimableBytes, 150);
});

test('an opaque directory hides everything below from lower layers and keeps its own entries', async () => {
  const img = await image([
    base,
    { items: [{ name: 'app/' }, { name: 'app/.wh..wh..opq', content: '' }, { name: 'app/new.txt', content: 'n' }] },
  ]);
  const t = finalTree(img);
  assert.deepEqual([...t.keys()].filter((p) => p.startsWith('/app')).sort(), ['/app', '/app/new.txt']);
  const layer1 = layerEntries(img.layers[1]!);
  // for dive's formula the opaque marker counts as whiteouts of the visible children below
  const synthetic = layer1.filter((e) => e.type === 'whiteout' && e.synthetic).map((e) => [e.path, (e as { deletedSize: number }).deletedSize]);
  assert.deepEqual(synthetic.sort(), [['/app/a.txt', 0], ['/app/sub', 50]]);
  const a = analyzeImage(img);
  assert.equal(a.reclaimableBytes, 150);
  assert.ok(a.hidden.slice().every((h) => h.how === 'opaque' && h.hiddenBy === 1));
});

test('other .wh..wh. names are overlay bookkeeping and dropped', async () => {
  const img = await image([base, { items: [{ name: '.wh..wh.plnk/' }, { name: '.wh..wh.plnk/123.4', content: 'x' }] }]);
  assert.deepEqual(layerEntries(img.layers[1]!), []);
});

test('a whiteout of a path that no lower layer has is ignored with a note', async () => {
  const img = await image([base, { items: [{ name: 'nowhere/.wh.ghost', content: '' }] }]);
  assert.match(img.notes.join('\n'), /1 whiteout\(s\) delete a path that no lower layer has/);
  const a = analyzeImage(img);
  assert.equal(a.inefficient.length, 0);
});

test('a path twice in one layer: the last entry wins and the first is hidden bytes', async () => {
  const img = await image([
    base,
    { items: [{ name: 'app/' }, { name: 'app/c.txt', content: 'first-version' }, { name: 'app/c.txt', content: 'v2' }] },
  ]);
  const c = finalTree(img).get('/app/c.txt')!;
  assert.equal(c.size, 2);
  const a = analyzeImage(img);
  assert.ok(!a.inefficient.some((x) => x.path === '/app/c.txt'), 'one appearance per layer, as dive counts');
  assert.deepEqual(a.hidden.slice().map((h) => [h.path, h.size, h.how]), [['/app/c.txt', 13, 'duplicate']]);
});

test('hard links and symlinks are recorded, never followed', async () => {
  const img = await image([
    {
      items: [
        { name: 'bin/' },
        { name: 'bin/busybox', content: 'ELF-ish', mode: 0o755 },
        { name: 'bin/sh', type: 'symlink', linkname: 'busybox' },
        { name: 'bin/ash', type: 'link', linkname: 'bin/busybox' },
        { name: 'etc/escape', type: 'symlink', linkname: '../../../../etc/shadow' },
      ],
    },
  ]);
  const t = finalTree(img);
  assert.equal(t.get('/bin/sh')!.kind, 'symlink');
  assert.equal(t.get('/bin/sh')!.link, 'busybox');
  assert.equal(t.get('/bin/ash')!.kind, 'hardlink');
  assert.equal(t.get('/bin/ash')!.link, '/bin/busybox');
  assert.equal(t.get('/etc/escape')!.link, '../../../../etc/shadow');
});

test('paths with .. cannot climb above the image root', async () => {
  const img = await image([{ items: [{ name: '../../outside.txt', content: 'x' }, { name: './a/../b.txt', content: 'y' }] }]);
  assert.deepEqual([...finalTree(img).keys()].sort(), ['/b.txt', '/outside.txt']);
});

test('PAX headers (long names, uid beyond octal) and a global PAX header (git archive writes one)', async () => {
  const long = 'd/' + 'x'.repeat(150) + '/file.txt';
  const paxTar = await makeTar([
    { name: long, content: 'long' },
    { name: 'big-uid', content: 'u', pax: { uid: '3000000', gid: '3000000' } },
  ]);
  const record = '52 comment=4b825dc642cb6eb9a060e54bf8d69288fbee4904\n';
  const global = rawTarRecord('g', 'pax_global_header', record);
  const img = await image([{ items: [], raw: Buffer.concat([global, paxTar]) }]);
  const t = finalTree(img);
  assert.ok(t.has('/' + long), 'long path via PAX');
  assert.equal(t.get('/big-uid')!.uid, 3000000);
  assert.ok(![...t.keys()].some((p) => p.includes('pax_global_header')));
});

test('GNU long names and long link targets (././@LongLink)', async () => {
  const long = 'g/' + 'y'.repeat(180) + '.txt';
  const target = '/' + 'z'.repeat(160);
  const raw = rawTar([
    rawTarRecord('L', '././@LongLink', long + '\0'),
    rawTarRecord('0', long.slice(0, 99), 'gnu'),
    rawTarRecord('K', '././@LongLink', target + '\0'),
    rawTarRecord('2', 'short-link', ''),
  ]);
  const t = finalTree(await image([{ items: [], raw }]));
  assert.equal(t.get('/' + long)!.size, 3);
  assert.equal(t.get('/short-link')!.link, target);
});

test('links-tiny (real podman and docker builds): >100-char names, uid 3000000, links and a FIFO', async () => {
  for (const layout of ['docker-engine', 'oci-archive']) {
    const t = finalTree(await loadFile(join(IMAGES, 'corpus', layout, 'links-tiny.tar')));
    const kinds = new Set([...t.values()].map((e) => e.kind));
    for (const k of ['file', 'dir', 'symlink', 'hardlink', 'fifo'] as const) assert.ok(kinds.has(k), `${layout}: ${k}`);
    assert.ok([...t.keys()].some((p) => p.length > 100), `${layout}: a path over 100 characters`);
    assert.ok([...t.values()].some((e) => e.uid === 3000000), `${layout}: uid 3000000`);
  }
});

test('opaque-tiny (real podman overlay build): final tree as its Dockerfile says', async () => {
  const t = finalTree(await loadFile(join(IMAGES, 'corpus', 'oci-archive', 'opaque-tiny.tar')));
  assert.deepEqual([...t.keys()].filter((p) => p.startsWith('/app/static/')), ['/app/static/new.txt']);
  assert.deepEqual([...t.keys()].filter((p) => p.startsWith('/usr/sbin/')), ['/usr/sbin/.keep']);
  assert.ok(![...t.keys()].some((p) => p === '/home' || p.startsWith('/home/')));
});

test("waste-tiny and setuid-tiny: the shadowed bytes corpus-rules/EXPECTED.md states, in both builds", async () => {
  for (const layout of ['docker-engine', 'oci-archive-zstd']) {
    const waste = analyzeImage(await loadFile(join(IMAGES, 'corpus-rules', layout, 'waste-tiny.tar')));
    assert.equal(waste.reclaimableBytes, 6291456, `${layout} waste-tiny`);
    assert.deepEqual(
      waste.hidden.slice().map((h) => [h.path, h.size]),
      [['/opt/tmp-3MiB.bin', 3145728], ['/opt/chmod-only-2MiB.bin', 2097152], ['/opt/rewritten-1MiB.bin', 1048576]],
    );
    const setuid = analyzeImage(await loadFile(join(IMAGES, 'corpus-rules', layout, 'setuid-tiny.tar')));
    assert.equal(setuid.reclaimableBytes, 48, `${layout} setuid-tiny`);
  }
});

test('content hashes tell a metadata-only copy-up from a rewrite', async () => {
  const img = await loadFile(join(IMAGES, 'corpus-rules', 'docker-engine', 'waste-tiny.tar'));
  const versions = (p: string) => (historyMap(img.files).get(p) ?? []).filter((e): e is FileEntry => e.type === 'entry').map((e) => e.hash);
  const chmod = versions('/opt/chmod-only-2MiB.bin');
  assert.equal(chmod.length, 2);
  assert.equal(chmod[0], chmod[1], 'chmod copy-up has identical content');
  const rewritten = versions('/opt/rewritten-1MiB.bin');
  assert.notEqual(rewritten[0], rewritten[1], 'a rewrite of the same size has different content');
});
