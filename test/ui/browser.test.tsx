import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeImage } from '../../src/analysis/analyzeImage.js';
import { Browser } from '../../ui/model/browser.js';
import { KEY, renderBrowser, until } from '../helpers/inkApp.js';
import { DIVE_FIXTURE, loadFile } from '../helpers/shared.js';

// The browser's key handling, driven through Ink (bytes on stdin) and checked on the browser's state and rows.
// Dockerfile.test-image: layer 3 copies somefile1, 4 chmods it, 9 runs rm -rf /root/example/; README.md is 6405 bytes.
const image = await loadFile(DIVE_FIXTURE);
const analysis = analyzeImage(image);

async function browser() {
  const b = new Browser({ image, analysis, checks: [], baseLayers: 1 });
  return { b, ...(await renderBrowser(b)) };
}

test('browser keys: layers pane moves layers, tab to files, ctrl+f filters live, esc clears, q quits', async () => {
  const { b, press, type, unmount } = await browser();
  await type('jjjjjjjjj');
  assert.equal(b.state.layer, 9);
  await press(KEY.tab);
  assert.equal(b.state.focus, 'tree');
  await press(KEY.ctrlU);
  assert.deepEqual([...b.state.hide], ['unmodified']);
  assert.deepEqual(b.visibleRows().map((r) => r.node.path).slice(0, 2), ['/root', '/root/example']);
  await press(KEY.ctrlF);
  await type('nested');
  assert.equal(b.state.filter, 'nested');
  assert.deepEqual(b.visibleRows().map((r) => r.node.path), ['/root', '/root/example', '/root/example/really', '/root/example/really/nested']);
  await press(KEY.escape);
  assert.equal(b.state.filter, '');
  await press('q');
  assert.equal(b.state.quit, true);
  unmount();
});

test('browser: w jumps to the largest wasted file and says why; W lists them all, Enter jumps', async () => {
  const { b, press, unmount } = await browser();
  await press('w');
  assert.equal(b.state.layer, 3);
  assert.equal(b.cursorRow()!.node.path, '/root/example/somefile1.txt');
  assert.match(b.state.message!, /^\/root\/example\/somefile1\.txt: 6405 bytes written by layer 3, overwritten by layer 4/);
  await press('W');
  assert.equal(b.state.overlay, 'waste');
  const items = b.overlayItems();
  assert.match(items[0]!.text, /^\/root\/example\/somefile1\.txt: 6405 bytes written by layer 3, overwritten by layer 4$/);
  await press('j');
  await press(KEY.enter);
  assert.equal(b.state.overlay, 'none');
  assert.equal(b.state.layer, 4, 'the second entry: written by layer 4, deleted by layer 9');
  assert.equal(b.cursorRow()!.node.path, '/root/example/somefile1.txt');
  unmount();
});

test('browser: sort toggles with ctrl+o and s; attributes with ctrl+b; ? opens help', async () => {
  const { b, press, unmount } = await browser();
  assert.equal(b.state.sort, 'size');
  await press(KEY.ctrlO);
  assert.equal(b.state.sort, 'name');
  await press('s');
  assert.equal(b.state.sort, 'size');
  await press(KEY.ctrlB);
  assert.equal(b.state.showAttributes, true);
  await press('?');
  assert.equal(b.state.overlay, 'help');
  await press(KEY.escape);
  assert.equal(b.state.overlay, 'none');
  unmount();
});

test('browser: space folds a directory, right and l unfold it, left folds it and then goes to the parent', async () => {
  const { b, press, frame, unmount } = await browser();
  await press('jjjjjjjjj');
  await press(KEY.tab);
  await press(KEY.ctrlU);
  const paths = () => b.visibleRows().map((r) => r.node.path);
  // sorted by size: the two 6405-byte files before the empty directories
  const open = ['/root', '/root/example', '/root/example/somefile1.txt', '/root/example/somefile2.txt', '/root/example/really', '/root/example/really/nested'];
  assert.deepEqual(paths(), open);
  await press('j');
  await press(' ');
  assert.deepEqual(paths(), ['/root', '/root/example']);
  assert.match(frame(), /⊕ example\//);
  await press(KEY.right);
  assert.deepEqual(paths(), open);
  await press(KEY.left);
  assert.deepEqual(paths(), ['/root', '/root/example']);
  assert.equal(b.cursorRow()!.node.path, '/root/example');
  await press('h');
  assert.equal(b.cursorRow()!.node.path, '/root');
  await press('j');
  await press('l');
  assert.deepEqual(paths(), open);
  await press(KEY.pageDown);
  assert.equal(b.cursorRow()!.node.path, '/root/example/really/nested', 'a page down stops at the last row');
  unmount();
});

test('browser: the terminal size reaches the state after the frame; page down moves by the pane height', async () => {
  const { b, press, resizeTerminal, unmount } = await browser();
  // ink-testing-library reports no rows: the App assumes 30, keeps 2 for the status bar and 4 for the pane's chrome
  await until(() => b.state.treeHeight !== 20);
  assert.equal(b.state.treeHeight, 24);
  await press(KEY.tab);
  await press(KEY.pageDown);
  assert.equal(b.state.cursor, 24);
  resizeTerminal(20);
  await until(() => b.state.treeHeight !== 24);
  assert.equal(b.state.treeHeight, 14);
  assert.equal(b.visibleRows().length, 14);
  assert.equal(b.state.top, 11, 'the window moved as little as it could and still shows the cursor');
  await press(KEY.pageDown);
  assert.equal(b.state.cursor, 38);
  unmount();
});
