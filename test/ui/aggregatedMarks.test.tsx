import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeImage } from '../../src/analysis/analyzeImage.js';
import { loadImage } from '../../src/archive/loadImage.js';
import { Browser } from '../../ui/model/browser.js';
import { chunksOf, dockerArchive, type TarItem } from '../helpers/buildArchive.js';
import { KEY, renderBrowser } from '../helpers/inkApp.js';

// Three layers written with tar-stream, so what each did is known by construction: L1 writes a scratch file and
// writes /app/same.txt again with the same bytes, mode and owner; L2 deletes the scratch file and changes the config.
const layers: TarItem[][] = [
  [{ name: 'app/' }, { name: 'app/same.txt', content: 'same bytes\n' }, { name: 'app/config', content: 'a=1\n' }],
  [{ name: 'app/' }, { name: 'app/same.txt', content: 'same bytes\n' }, { name: 'app/scratch.bin', content: 'x'.repeat(5000) }],
  [{ name: 'app/' }, { name: 'app/.wh.scratch.bin', content: '' }, { name: 'app/config', content: 'a=2\n' }],
];
const image = await loadImage(chunksOf(await dockerArchive([{ tag: 'marks/agg:1', layers: layers.map((items) => ({ items })) }])), 'marks/agg:1', { defaultPlatform: 'linux/amd64' });

async function open() {
  const b = new Browser({ image, analysis: analyzeImage(image), checks: [], baseLayers: 1 });
  const r = await renderBrowser(b);
  const rows = () => b.visibleRows().map((row) => `${row.mark} ${row.node.path} ${row.size}`);
  return { b, rows, ...r };
}

test('an identical rewrite is marked = (rewritten) and stays under ctrl+u; ctrl+m hides it with the modified', async () => {
  const { rows, press, frame, unmount } = await open();
  await press('j' + KEY.tab + KEY.ctrlU + KEY.ctrlO);
  assert.deepEqual(rows(), ['modified /app 5015', 'rewritten /app/same.txt 11', 'added /app/scratch.bin 5000']);
  assert.match(frame(), /│= +11 B {4}same\.txt/);
  assert.match(frame(), /Layer 1 vs layer 0 · 3 rows/);
  await press(KEY.enter); // ctrl+m
  assert.deepEqual(rows(), ['modified /app 5015', 'added /app/scratch.bin 5000']);
  unmount();
});

test('aggregated (ctrl+a): what came and went inside the range is X (transient) with its size, counted in the rows', async () => {
  const { b, rows, press, frame, unmount } = await open();
  await press('jj' + '\u0001' + KEY.tab + KEY.ctrlU + KEY.ctrlO);
  assert.equal(b.state.compare, 'aggregated');
  // against layer 0: config changed, same.txt rewritten identically at 1, scratch.bin written at 1 and deleted at 2
  assert.deepEqual(rows(), ['modified /app 15', 'modified /app/config 4', 'rewritten /app/same.txt 11', 'transient /app/scratch.bin 5000']);
  assert.match(frame(), /│X +5 kB {4}scratch\.bin/);
  assert.match(frame(), /Layer 2 vs layer 0 · 4 rows/);
  // layer by layer (ctrl+l), layer 2 removed it: R, not X
  await press(KEY.tab + '\u000c' + KEY.tab);
  assert.deepEqual(rows(), ['modified /app 15', 'modified /app/config 4', 'removed /app/scratch.bin 5000']);
  // help names the marks beside dive's hide keys
  await press('?');
  assert.match(frame(), /ctrl\+r +files: hide\/show removed \(R\) and added then removed \(X\)/);
  assert.match(frame(), /files: hide\/show modified \(M\) and rewritten identically \(=\)/);
  unmount();
});
