import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeImage } from '../../src/analysis/analyzeImage.js';
import { Browser } from '../../ui/model/browser.js';
import { buildFileTree, layerState, type Mark } from '../../ui/model/fileTree.js';
import { TreeView, type SortOrder } from '../../ui/model/treeView.js';
import { DIVE_FIXTURE, loadFile } from '../helpers/shared.js';

// Dockerfile.test-image, layer by layer (0 is busybox): 1 ADD /somefile.txt, 2 mkdir -p /root/example/really/nested,
// 3 cp somefile1, 4 chmod 444 somefile1, 5 cp somefile2, 6 cp somefile3, 7 mv somefile3 /root/saved.txt,
// 8 cp /root/.saved.txt, 9 rm -rf /root/example/, 10 ADD .scripts /root/.data/, 11 cp /tmp/saved.again1.txt,
// 12 cp /root/.data/saved.again2.txt, 13 chmod +x /root/saved.txt. README.md is 6405 bytes.
const image = await loadFile(DIVE_FIXTURE);
const tree = buildFileTree(image);

function rows(layer: number, against: number, opts: { hide?: Mark[]; filter?: string; sort?: SortOrder; collapsed?: string[] } = {}) {
  const view = new TreeView(tree, layerState(tree, layer, against), {
    hide: new Set(opts.hide ?? []),
    filter: opts.filter ? new RegExp(opts.filter) : null,
    sort: opts.sort ?? 'name',
    collapsed: new Set((opts.collapsed ?? []).map((p) => tree.nodeOf(p)!.id)),
  });
  return view.window(0, view.totalRows).map((r) => [r.node.path, r.mark, r.size] as const);
}

test('at the layer that runs rm -rf /root/example/, /root/example and everything below it are Removed', () => {
  assert.deepEqual(rows(9, 8, { hide: ['unmodified'] }), [
    ['/root', 'modified', 12810],
    ['/root/example', 'removed', 12810],
    ['/root/example/really', 'removed', 0],
    ['/root/example/really/nested', 'removed', 0],
    ['/root/example/somefile1.txt', 'removed', 6405],
    ['/root/example/somefile2.txt', 'removed', 6405],
  ]);
});

test('layer changes: mv is a removal plus an addition; chmod is a modification', () => {
  assert.deepEqual(rows(7, 6, { hide: ['unmodified'] }), [
    ['/root', 'modified', 19215],
    ['/root/example', 'modified', 12810],
    ['/root/example/somefile3.txt', 'removed', 6405],
    ['/root/saved.txt', 'added', 6405],
  ]);
  assert.deepEqual(rows(4, 3, { hide: ['unmodified'] }).map((r) => r.slice(0, 2)), [
    ['/root', 'modified'],
    ['/root/example', 'modified'],
    ['/root/example/somefile1.txt', 'modified'],
  ]);
});

test('aggregated mode: everything since layer 0, and what came and went in between as transient (X)', () => {
  // tag.sh (917) and test.sh (1270) come from ADD .scripts/ (tar tvf of layer 10). The rows are dive 0.12's own
  // aggregated tree at layer 13 with ctrl+u, read off its screen in tmux: /root/example and all below it in red (made
  // at 2-6, somefile3 moved away at 7, the rest removed at 9), /root/example 19 kB, /root 21 kB without it.
  const view = (hide: Mark[]) => new TreeView(tree, layerState(tree, 13, 0), { hide: new Set(hide), filter: null, sort: 'name', collapsed: new Set() });
  assert.deepEqual(rows(13, 0, { hide: ['unmodified'] }), [
    ['/root', 'modified', 21402],
    ['/root/.data', 'added', 8592],
    ['/root/.data/saved.again2.txt', 'added', 6405],
    ['/root/.data/tag.sh', 'added', 917],
    ['/root/.data/test.sh', 'added', 1270],
    ['/root/.saved.txt', 'added', 6405],
    ['/root/example', 'transient', 19215],
    ['/root/example/really', 'transient', 0],
    ['/root/example/really/nested', 'transient', 0],
    ['/root/example/somefile1.txt', 'transient', 6405],
    ['/root/example/somefile2.txt', 'transient', 6405],
    ['/root/example/somefile3.txt', 'transient', 6405],
    ['/root/saved.txt', 'added', 6405],
    ['/somefile.txt', 'added', 6405],
    ['/tmp', 'modified', 6405],
    ['/tmp/saved.again1.txt', 'added', 6405],
  ]);
  // each shown as it last was, as dive shows it: somefile1 after layer 4's chmod 444
  const v = view(['unmodified']);
  const somefile1 = v.window(0, v.totalRows).find((r) => r.node.path === '/root/example/somefile1.txt')!;
  assert.equal(somefile1.entry?.mode, 0o444);
  // dive's ctrl+r hides them with the removed; in layer-by-layer mode the removal at 9 is still Removed
  assert.ok(!view(['unmodified', 'removed']).window(0, 100).some((r) => r.node.path.startsWith('/root/example')));
  assert.deepEqual(rows(9, 8, { hide: ['unmodified'] }).map((r) => r[1]), ['modified', 'removed', 'removed', 'removed', 'removed', 'removed']);
});

test('filter: a regex over the full path keeps the directories above a match', () => {
  assert.deepEqual(rows(13, 12, { filter: 'saved' }).map((r) => r[0]), [
    '/root',
    '/root/.data',
    '/root/.data/saved.again2.txt',
    '/root/.saved.txt',
    '/root/saved.txt',
    '/tmp',
    '/tmp/saved.again1.txt',
  ]);
});

test('hide flags combine; sort by size puts the biggest subtree first; collapse hides a subtree', () => {
  const addedOnly = rows(13, 0, { hide: ['unmodified', 'modified', 'removed'] }).map((r) => r[0]);
  assert.deepEqual(addedOnly, ['/root', '/root/.data', '/root/.data/saved.again2.txt', '/root/.data/tag.sh', '/root/.data/test.sh', '/root/.saved.txt', '/root/saved.txt', '/somefile.txt', '/tmp', '/tmp/saved.again1.txt'], 'modified parents stay for their added children');
  const bySize = rows(13, 0, { hide: ['unmodified', 'removed'], sort: 'size' }).map((r) => r[0]);
  // /root holds 21402 bytes, /somefile.txt and /tmp 6405 each (ties by name); in /root/.data: 6405, 1270, 917
  assert.deepEqual(bySize.filter((p) => p.split('/').length === 2), ['/root', '/somefile.txt', '/tmp']);
  assert.deepEqual(bySize.filter((p) => p.startsWith('/root/.data/')), ['/root/.data/saved.again2.txt', '/root/.data/test.sh', '/root/.data/tag.sh']);
  const collapsed = rows(9, 8, { hide: ['unmodified'], collapsed: ['/root/example'] }).map((r) => r[0]);
  assert.deepEqual(collapsed, ['/root', '/root/example']);
});

test('the whole tree at layer 0 is busybox: every path Added against nothing', () => {
  const all = rows(0, -1);
  assert.ok(all.length > 300);
  assert.ok(all.every(([, m]) => m === 'added'));
  assert.ok(all.some(([p]) => p === '/bin/busybox'));
});

// a layer state's pass reuses its tree's working arrays: one made after others must be what it is made first
test('layer states made one after another on one tree equal each made first, on a tree of its own', () => {
  const shared = buildFileTree(image);
  const plain = (s: ReturnType<typeof layerState>) => [Array.from(s.present), Array.from(s.mark), Array.from(s.size)];
  for (const against of ['layer', 'aggregated'] as const) {
    for (const layer of [13, 0, 9, 4, 12, 1]) {
      const before = against === 'layer' ? layer - 1 : layer === 0 ? -1 : 0;
      assert.deepEqual(plain(layerState(shared, layer, before)), plain(layerState(buildFileTree(image), layer, before)), `layer ${layer} against ${before}`);
    }
  }
});

test('the idle work makes every layer state before its first visit, ends, and changes nothing the keys then show', () => {
  const input = { image, analysis: analyzeImage(image), checks: [], baseLayers: 1 };
  const idle = new Browser(input);
  const cold = new Browser(input);
  let steps = 0;
  while (idle.precompute()) steps++;
  // 14 layers in layer mode, then layers 2..13 aggregated (0 and 1 are the same states in both modes)
  assert.equal(steps, 14 + 12);
  const down = { input: 'j', ctrl: false, meta: false, shift: false };
  const made = (b: Browser) => [...Array(14).keys()].map((layer) => b.layerStateFor(layer, 'layer'));
  const before = made(idle);
  // no state is made again: they are the same objects
  assert.deepEqual(made(idle), before);
  for (const b of [idle, cold]) for (let i = 0; i < 9; i++) b.press(down);
  for (const b of [idle, cold]) b.press({ ...down, input: '\t', name: 'tab' });
  const shown = (b: Browser) => b.visibleRows().map((r) => `${r.mark} ${r.node.path} ${r.size}`);
  assert.deepEqual(shown(idle), shown(cold));
  assert.equal(idle.layerStateFor(9, 'layer'), before[9]);
});
