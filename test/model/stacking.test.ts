import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { analyzeImage } from '../../src/analysis/analyzeImage.js';
import { BASE_LAYER, finalTree, imageOf } from '../helpers/layers.js';
import { layerEntries } from '../helpers/model.js';
import { IMAGES, loadFile } from '../helpers/shared.js';

// Overlay stacking: whiteouts, opaque directories and duplicates, and what each hides (src/model/stackLayers.ts).

test('a .wh. file deletes the path; dive charges 0 for a deleted file', async () => {
  const img = await imageOf([BASE_LAYER, { items: [{ name: 'app/' }, { name: 'app/.wh.a.txt', content: '' }] }]);
  const t = finalTree(img);
  assert.ok(!t.has('/app/a.txt'));
  const a = analyzeImage(img);
  const f = a.inefficient.find((x) => x.path === '/app/a.txt')!;
  assert.deepEqual(f.appearances.map((x) => x.size), [100, 0]);
  assert.equal(a.reclaimableBytes, 100);
  assert.deepEqual(a.hidden.slice().map((h) => [h.path, h.writtenBy, h.hiddenBy, h.how]), [['/app/a.txt', 0, 1, 'deleted']]);
});

test('a whiteout of a directory charges the whole subtree below it, as dive does', async () => {
  const img = await imageOf([BASE_LAYER, { items: [{ name: '.wh.app', content: '' }] }]);
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
  const img = await imageOf([
    BASE_LAYER,
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

test('a whiteout of a path that no lower layer has is ignored with a note', async () => {
  const img = await imageOf([BASE_LAYER, { items: [{ name: 'nowhere/.wh.ghost', content: '' }] }]);
  assert.match(img.notes.join('\n'), /1 whiteout\(s\) delete a path that no lower layer has/);
  const a = analyzeImage(img);
  assert.equal(a.inefficient.length, 0);
});

test('a path twice in one layer: the last entry wins and the first is hidden bytes', async () => {
  const img = await imageOf([
    BASE_LAYER,
    { items: [{ name: 'app/' }, { name: 'app/c.txt', content: 'first-version' }, { name: 'app/c.txt', content: 'v2' }] },
  ]);
  const c = finalTree(img).get('/app/c.txt')!;
  assert.equal(c.size, 2);
  const a = analyzeImage(img);
  assert.ok(!a.inefficient.some((x) => x.path === '/app/c.txt'), 'one appearance per layer, as dive counts');
  assert.deepEqual(a.hidden.slice().map((h) => [h.path, h.size, h.how]), [['/app/c.txt', 13, 'duplicate']]);
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

