import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeImage } from '../../src/analysis/analyzeImage.js';
import { gateConfigFrom } from '../../src/ci/gateConfig.js';
import { thresholdChecks } from '../../src/ci/thresholdChecks.js';
import { Browser } from '../../ui/model/browser.js';
import { KEY, renderBrowser } from '../helpers/inkApp.js';
import { DIVE_FIXTURE, loadFile } from '../helpers/shared.js';

// Keys as a terminal sends them, written to Ink's stdin so they pass Ink's own input parsing: single keys, and
// bursts of several keys in one write (what arrives when keys queue up while a frame is drawn, or on a paste).
// Dockerfile.test-image: layer 9 runs rm -rf /root/example/ (6 changed rows); layer 0 is busybox, every row Added.
const image = await loadFile(DIVE_FIXTURE);
const analysis = analyzeImage(image);

async function open(checks = thresholdChecks(analysis, gateConfigFrom({}, {}))) {
  const b = new Browser({ image, analysis, checks, baseLayers: 1 });
  return { b, ...(await renderBrowser(b)) };
}

test('ctrl+space (NUL, which Ink reports as ctrl+`) collapses every top directory, and again expands them', async () => {
  const { b, press, frame, unmount } = await open();
  await press(KEY.tab);
  await press('\u0000');
  assert.ok(b.state.collapsed.size > 0, 'ctrl+space collapsed');
  assert.match(frame(), /⊕ bin\//);
  await press('\u0000');
  assert.equal(b.state.collapsed.size, 0);
  unmount();
});

test('four Backspaces in one write erase four characters of the filter, nothing is typed', async () => {
  const { b, press, unmount } = await open();
  await press(KEY.ctrlF);
  await press('busybox');
  await press('\u007f\u007f\u007f\u007f');
  assert.equal(b.state.filter, 'bus');
  await press('\b\b');
  assert.equal(b.state.filter, 'b');
  unmount();
});

test('Tab and ctrl+b in one write: both keys, in order', async () => {
  const { b, press, unmount } = await open();
  await press('\t\u0002');
  assert.equal(b.state.focus, 'tree');
  assert.equal(b.state.showAttributes, true);
  unmount();
});

test('Down, Tab, ctrl+u in one write (an escape sequence, then two plain bytes): all three keys', async () => {
  const { b, press, unmount } = await open();
  await press('\u001b[B\t\u0015');
  assert.equal(b.state.layer, 1);
  assert.equal(b.state.focus, 'tree');
  assert.deepEqual([...b.state.hide], ['unmodified']);
  unmount();
});

test('a 50-key burst in one write: every key counted, in order', async () => {
  const { b, press, unmount } = await open();
  // 9 j then Tab, 30 j, 5 k, then 5 more: ctrl+b, ctrl+o, s, k, Enter(ctrl+m: hide modified)
  const burst = 'j'.repeat(9) + '\t' + 'j'.repeat(30) + 'k'.repeat(5) + '\u0002\u000fsk\r';
  assert.equal(burst.length, 50);
  await press(burst);
  assert.equal(b.state.layer, 9);
  assert.equal(b.state.focus, 'tree');
  assert.equal(b.state.showAttributes, true);
  assert.equal(b.state.sort, 'size', 'ctrl+o then s');
  assert.deepEqual([...b.state.hide], ['modified']);
  unmount();
});

test('ctrl+c quits from the open filter prompt (a typed q is text there)', async () => {
  const { b, press, unmount } = await open();
  await press(KEY.ctrlF);
  await press('q');
  assert.equal(b.state.filter, 'q');
  assert.equal(b.state.quit, false);
  await press('\u0003');
  assert.equal(b.state.quit, true);
  unmount();
});

test('the view is re-clamped when the rows shrink: filter, ctrl+u and ctrl+a after scrolling 80 rows down', async () => {
  const { b, press, unmount } = await open();
  await press('jjjjjjjjj');
  await press(KEY.tab);
  const scrollDown = async () => {
    await press('j'.repeat(80));
    assert.ok(b.state.top > 40, `scrolled (top ${b.state.top})`);
  };
  await scrollDown();
  await press(KEY.ctrlF);
  await press('saved');
  await press(KEY.enter);
  // /root/.saved.txt, /root/saved.txt, /root/example/... at layer 9: every matching row and its parents in view
  const total = b.treeView().totalRows;
  assert.ok(total > 1 && total < b.state.treeHeight, `${total} rows`);
  assert.equal(b.visibleRows().length, total);
  assert.equal(b.state.top, 0);
  await press(KEY.escape);
  await scrollDown();
  await press(KEY.ctrlU);
  assert.equal(b.treeView().totalRows, 6);
  assert.equal(b.visibleRows().length, 6);
  assert.equal(b.state.cursor, 5);
  await press(KEY.ctrlU);
  await press(KEY.tab);
  await press('kkkkkkkkk');
  await press(KEY.tab);
  await scrollDown();
  await press('\u0001'); // ctrl+a: at layer 0 every row is Added
  assert.equal(b.treeView().totalRows, 0);
  assert.deepEqual([b.state.cursor, b.state.top], [0, 0]);
  unmount();
});

test('PgDn and PgUp page through the W overlay; f says why a threshold check failed', async () => {
  const { b, press, frame, unmount } = await open(thresholdChecks(analysis, gateConfigFrom({}, { highestUserWastedPercent: '0.01' })));
  await press('W');
  const items = b.overlayItems();
  assert.ok(items.length > 1);
  await press(KEY.pageDown);
  assert.equal(b.state.overlayCursor, items.length - 1);
  await press('\u001b[5~');
  assert.equal(b.state.overlayCursor, 0);
  await press(KEY.escape);
  await press('f');
  assert.match(frame(), /FAIL highestUserWastedPercent: too many bytes wasted, relative to the user bytes added/);
  unmount();
});

test('help lists the active bindings and scrolls', async () => {
  const b = new Browser({ image, analysis, checks: [], baseLayers: 1 }, { ...new Browser({ image, analysis, checks: [], baseLayers: 1 }).keys, quit: ['x'] });
  const { press, frame, resizeTerminal, unmount } = await renderBrowser(b);
  resizeTerminal(14);
  await press('?');
  assert.match(frame(), /^║ x +quit/m);
  assert.doesNotMatch(frame(), /rule findings/, 'the last line is below the fold');
  await press(KEY.pageDown.repeat(30));
  assert.match(frame(), /f +rule findings/);
  assert.doesNotMatch(frame(), / x +quit/, 'scrolled past the first line');
  unmount();
});

test('Esc and q in one write (Ink reads alt+q): Esc closes help, q quits', async () => {
  const { b, press, unmount } = await open();
  await press('?');
  assert.equal(b.state.overlay, 'help');
  await press('\u001bq');
  assert.equal(b.state.overlay, 'none');
  assert.equal(b.state.quit, true);
  unmount();
});
