import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { readLayerBlob } from '../../src/layer/readLayer.js';
import { PathTable } from '../../src/model/pathTable.js';
import { chunksOf, makeTar, type TarItem } from '../helpers/buildArchive.js';
import { entriesOf } from '../helpers/model.js';

// V8 hashes strings longer than 16,383 characters by their length alone: a Map of such names put every one in one
// bucket, and 6,000 names of 20,006 characters took 96 s to intern. With the table's own hash it is linear. The
// timeout is a hang guard, not a measurement (npm run bench measures).
test('4,000 file names of 20,006 characters in a real gzip layer are interned without a quadratic slowdown', { timeout: 20_000 }, async () => {
  const n = 4000;
  const stem = 'n'.repeat(20_000);
  const items: TarItem[] = [];
  for (let i = 0; i < n; i++) items.push({ name: `${stem}${String(i).padStart(6, '0')}`, content: `${i}` });
  const layer = gzipSync(await makeTar(items));
  const blob = await readLayerBlob(chunksOf(layer), 'long-names.tar.gz');
  const entries = entriesOf(blob.files);
  assert.equal(entries.length, n);
  // (no Set of the names here: it would hit the very V8 behaviour this test is about)
  entries.forEach((e, i) => assert.ok(e.path === `/${stem}${String(i).padStart(6, '0')}`, `entry ${i}`));
  assert.equal(blob.files.paths.size, n + 1, 'every name its own path, and /');
  assert.equal(entries[1234]!.path, `/${stem}001234`);
  assert.equal(entries[1234]!.path.length, 20_007);
});

test('the path table finds long and short paths by id, and names nothing it was not given', () => {
  const t = new PathTable();
  const long = '/d/' + 'x'.repeat(30_000);
  const ids = [t.intern(long + 'a'), t.intern(long + 'b'), t.intern('/d/short')];
  assert.deepEqual(ids.map((id) => t.lookup(t.path(id))), ids);
  assert.equal(t.intern(long + 'a'), ids[0]);
  assert.equal(t.lookup(long + 'c'), -1);
  assert.equal(t.lookup(long), -1, 'a prefix that is not a component');
  assert.equal(t.lookup('/d'), t.parent(ids[2]!));
  for (const bad of ['', 'd/short', '/d/', '/d//short', '/nowhere/short']) assert.equal(t.lookup(bad), -1, JSON.stringify(bad));
  // many siblings: the table grows and rehashes, every id still found
  const many = Array.from({ length: 5000 }, (_, i) => t.intern(`/m/${i % 7}/f${i}`));
  many.forEach((id, i) => assert.equal(t.lookup(`/m/${i % 7}/f${i}`), id));
  assert.equal(new Set(many).size, 5000);
});
