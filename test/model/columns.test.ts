import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeImage } from '../../src/analysis/analyzeImage.js';
import { loadImage } from '../../src/archive/loadImage.js';
import { float64Column, int32Column } from '../../src/model/columns.js';
import { ROOT_PATH } from '../../src/model/ids.js';
import { PathTable } from '../../src/model/pathTable.js';
import { chunksOf, dockerArchive, type TarItem } from '../helpers/buildArchive.js';

test('a column keeps every value across block boundaries, and a clone is independent', () => {
  const c = int32Column();
  const n = 40_000; // more than two 16,384-entry blocks, and the small first block's doublings before them
  for (let i = 0; i < n; i++) assert.equal(c.push(i * 3 - 7), i);
  assert.equal(c.size, n);
  for (const i of [0, 15, 16, 17, 16_383, 16_384, 16_385, 32_767, 32_768, n - 1]) assert.equal(c.get(i), i * 3 - 7, `index ${i}`);
  const copy = c.clone();
  copy.set(16_384, 1);
  assert.equal(c.get(16_384), 16_384 * 3 - 7);
  assert.equal(copy.get(16_384), 1);
  const f = float64Column();
  f.push(2 ** 40 + 0.5);
  assert.equal(f.get(0), 2 ** 40 + 0.5, 'sizes above 4 GiB survive');
});

test('the path table interns ancestors first, once, and names parents by id', () => {
  const t = new PathTable();
  const c = t.intern('/a/b/c');
  assert.equal(t.size, 4, '/, /a, /a/b, /a/b/c');
  assert.equal(t.intern('/a/b/c'), c, 'a second intern is the same id');
  const b = t.parent(c);
  assert.equal(t.path(b), '/a/b');
  assert.ok(b < c, 'a parent id is smaller than its child');
  assert.equal(t.path(t.parent(t.parent(b))), '/');
  assert.equal(t.parent(ROOT_PATH), -1);
  assert.equal(t.lookup('/a/x'), -1);
  const deep = '/d'.repeat(50_000); // a PAX name can be this long; interning must not recurse per component
  const id = t.intern(deep);
  assert.equal(t.size, 4 + 50_000);
  assert.equal(t.path(t.parent(id)), '/d'.repeat(49_999));
});

test('a layer bigger than a column block: 20,000 files, half deleted and a directory made opaque above', async () => {
  const files: TarItem[] = [{ name: 'd/' }, { name: 'o/' }];
  for (let i = 0; i < 10_000; i++) files.push({ name: `d/f${i}`, content: 'x'.repeat(i % 7) });
  for (let i = 0; i < 10_000; i++) files.push({ name: `o/g${i}`, content: 'y'.repeat(3) });
  const deletes: TarItem[] = [{ name: 'd/' }, { name: 'o/' }, { name: 'o/.wh..wh..opq', content: '' }, { name: 'o/kept', content: 'z' }];
  for (let i = 0; i < 10_000; i += 2) deletes.push({ name: `d/.wh.f${i}`, content: '' });
  const buf = await dockerArchive([{ tag: 'big:1', layers: [{ items: files }, { items: deletes }] }]);
  const img = await loadImage(chunksOf(buf, 1 << 20), 'big.tar', { defaultPlatform: 'linux/amd64' });
  assert.equal(img.layers[0]!.files.count, 20_002);
  // 5,000 whiteouts, the opaque marker, o/kept, two directories, and one synthetic whiteout per file under o/
  assert.equal(img.layers[1]!.files.count, 4 + 5_000 + 10_000);
  const a = analyzeImage(img);
  // bytes of the deleted d/f<even> files: i % 7 for even i below 10,000
  let deleted = 0;
  for (let i = 0; i < 10_000; i += 2) deleted += i % 7;
  assert.equal(a.reclaimableBytes, deleted + 10_000 * 3, 'what the whiteouts and the opaque directory hid');
  // every deleted or hidden file appears twice (added, then deleted): 5,000 + 10,000 inefficient paths
  assert.equal(a.inefficient.length, 15_000);
  const g = a.inefficient.find((f) => f.path === '/o/g9999')!;
  assert.deepEqual(g.appearances, [{ layer: 0, size: 3, kind: 'added' }, { layer: 1, size: 0, kind: 'deleted' }]);
  assert.equal(a.hidden.length, 10_000 + 5_000 - Math.floor(5_000 / 7) - 1, 'hidden files with a size (i % 7 = 0 files are empty)');
  assert.deepEqual(a.hidden.at(0), { path: '/d/f1000', size: 6, writtenBy: 0, hiddenBy: 1, how: 'deleted' });
});
