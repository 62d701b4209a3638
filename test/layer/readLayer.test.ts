import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { FileEntry } from '../../src/model/entryTypes.js';
import { makeTar, rawTar, rawTarRecord } from '../helpers/buildArchive.js';
import { BASE_LAYER, finalTree, imageOf } from '../helpers/layers.js';
import { historyMap, layerEntries } from '../helpers/model.js';
import { IMAGES, loadFile } from '../helpers/shared.js';

// One layer blob → its entries: names, links, long and PAX headers, content hashes (src/layer/readLayer.ts).

test('other .wh..wh. names are overlay bookkeeping and dropped', async () => {
  const img = await imageOf([BASE_LAYER, { items: [{ name: '.wh..wh.plnk/' }, { name: '.wh..wh.plnk/123.4', content: 'x' }] }]);
  assert.deepEqual(layerEntries(img.layers[1]!), []);
});

test('hard links and symlinks are recorded, never followed', async () => {
  const img = await imageOf([
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
  const img = await imageOf([{ items: [{ name: '../../outside.txt', content: 'x' }, { name: './a/../b.txt', content: 'y' }] }]);
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
  const img = await imageOf([{ items: [], raw: Buffer.concat([global, paxTar]) }]);
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
  const t = finalTree(await imageOf([{ items: [], raw }]));
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

test('content hashes tell a metadata-only copy-up from a rewrite', async () => {
  const img = await loadFile(join(IMAGES, 'corpus-rules', 'docker-engine', 'waste-tiny.tar'));
  const versions = (p: string) => (historyMap(img.files).get(p) ?? []).filter((e): e is FileEntry => e.type === 'entry').map((e) => e.hash);
  const chmod = versions('/opt/chmod-only-2MiB.bin');
  assert.equal(chmod.length, 2);
  assert.equal(chmod[0], chmod[1], 'chmod copy-up has identical content');
  const rewritten = versions('/opt/rewritten-1MiB.bin');
  assert.notEqual(rewritten[0], rewritten[1], 'a rewrite of the same size has different content');
});
