import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeImage } from '../../src/analysis/analyzeImage.js';
import { Browser } from '../../ui/model/browser.js';
import { helpLines } from '../../ui/model/overlayItems.js';
import { KEY, renderBrowser } from '../helpers/inkApp.js';
import { DIVE_FIXTURE, loadFile } from '../helpers/shared.js';

// Keys through Ink's own input parsing. Dockerfile.test-image's last layer (13): the files named *saved* are
// /root/saved.txt (mv at 7), /root/.saved.txt (cp at 8), /tmp/saved.again1.txt (11), /root/.data/saved.again2.txt
// (12); /root/example/ went at 9. In name order: .data/saved.again2.txt, .saved.txt, saved.txt under /root, then /tmp.
const image = await loadFile(DIVE_FIXTURE);
const analysis = analyzeImage(image);
const SAVED = ['/root/.data/saved.again2.txt', '/root/.saved.txt', '/root/saved.txt', '/tmp/saved.again1.txt'];

/** The last layer, the files pane, name order, every top directory folded. */
async function open() {
  const b = new Browser({ image, analysis, checks: [], baseLayers: 1 });
  const r = await renderBrowser(b);
  await r.press('j'.repeat(13));
  await r.press(KEY.tab + KEY.ctrlO + '\u0000');
  assert.equal(b.state.layer, 13);
  assert.ok(b.state.collapsed.size > 0);
  const path = () => b.cursorRow()?.node.path;
  return { b, path, ...r };
}

test('/ searches as it is typed: the cursor on the first match, its folded directories opened, the rest of the tree kept', async () => {
  const { b, path, press, type, frame, unmount } = await open();
  const folded = b.treeView().totalRows;
  await press('/');
  await type('saved');
  assert.equal(path(), SAVED[0]);
  assert.match(frame(), /Search \(regex\): saved .* match 1 of 4/);
  // /root and /root/.data opened for the match; everything else is still there, /tmp still folded
  assert.equal(b.treeView().totalRows, folded + b.treeView().window(0, 1000).filter((r) => r.node.path.startsWith('/root/')).length);
  assert.match(frame(), /⊕ bin\//);
  assert.match(frame(), /⊕ tmp\//);
  await press(KEY.enter);
  assert.equal(b.state.searchEditing, false);
  assert.match(frame(), /^match 1 of 4/m);
  unmount();
});

test('n and N: the next and previous match, wrapping both ways; a folded directory opens for its match; bursts count', async () => {
  const { b, path, press, type, frame, unmount } = await open();
  await press('/');
  await type('saved');
  await press(KEY.enter);
  await press('n');
  assert.equal(path(), SAVED[1]);
  assert.match(frame(), /^match 2 of 4/m);
  await press('n');
  assert.equal(path(), SAVED[2]);
  await press('n');
  assert.equal(path(), SAVED[3], 'into the folded /tmp');
  assert.match(frame(), /saved\.again1\.txt/);
  assert.match(frame(), /^match 4 of 4/m);
  await press('n');
  assert.equal(path(), SAVED[0], 'wrapped to the first');
  assert.match(frame(), /^match 1 of 4/m);
  await press('N');
  assert.equal(path(), SAVED[3], 'wrapped back to the last');
  await press('NNN');
  assert.equal(path(), SAVED[0], 'three keys in one write, three matches back');
  // from a row that is no match, n goes to the first match below it
  await press('kkk');
  assert.ok(!SAVED.includes(path()!));
  await press('n');
  assert.equal(path(), SAVED[0]);
  // a key that is not n or N clears the count
  await press('j');
  assert.doesNotMatch(frame(), /match \d of 4/);
  unmount();
});

test('a search with a / matches full paths; no match says so and leaves the cursor; esc drops the search', async () => {
  const { b, path, press, type, frame, unmount } = await open();
  await press('/');
  await type('^/tmp/');
  assert.equal(path(), '/tmp/saved.again1.txt');
  assert.match(frame(), /match 1 of 1/);
  await press(KEY.enter);
  await press('/');
  await type('zzz');
  assert.match(frame(), /Search \(regex\): zzz .* no match/);
  assert.equal(path(), '/tmp/saved.again1.txt', 'the cursor stays');
  await type('[');
  assert.match(frame(), /Invalid regular expression/);
  await press(KEY.escape);
  assert.equal(b.state.search, '');
  // esc goes back to where the prompt opened, the directories opened for the search folded again
  await press('/');
  await type('saved');
  assert.equal(path(), SAVED[0]);
  await press(KEY.escape);
  assert.equal(path(), '/tmp/saved.again1.txt');
  assert.match(frame(), /⊕ root\//);
  await press('n');
  assert.match(frame(), /^no search: \/ searches/m);
  unmount();
});

test('the search keeps to what the filter and hide flags show; ctrl+c quits from the search prompt', async () => {
  const { b, path, press, type, unmount } = await open();
  await press(KEY.ctrlF);
  await type('root');
  await press(KEY.enter);
  await press('/');
  await type('saved');
  await press(KEY.enter);
  assert.equal(path(), SAVED[0]);
  await press('NN');
  assert.equal(path(), SAVED[1], 'only the three under /root: /tmp is filtered out');
  await press('/');
  await press('q');
  assert.equal(b.state.search, 'q', 'q is typed into the prompt');
  await press('\u0003');
  assert.equal(b.state.quit, true);
  unmount();
});

test('help lists the search keys', () => {
  const help = helpLines(new Browser({ image, analysis, checks: [], baseLayers: 1 }).keys).map((l) => l.text);
  assert.ok(help.some((l) => /^\/ +search/.test(l)));
  assert.ok(help.some((l) => /^n +next match/.test(l)));
  assert.ok(help.some((l) => /^N +previous match/.test(l)));
  assert.ok(help.some((l) => /^ctrl\+f, ctrl\+\/ +filter/.test(l)), 'dive binds ctrl+/ to the filter too');
});
