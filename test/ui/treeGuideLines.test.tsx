import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeImage } from '../../src/analysis/analyzeImage.js';
import { Browser } from '../../ui/model/browser.js';
import { KEY, renderBrowser } from '../helpers/inkApp.js';
import { DIVE_FIXTURE, loadFile } from '../helpers/shared.js';

const image = await loadFile(DIVE_FIXTURE);
const analysis = analyzeImage(image);

/** The Filetree column of the frame's tree rows, the `/` after a directory's name left out. */
function treeColumn(frame: string): string[] {
  return frame
    .split('\n')
    // the tree pane's row is the last `│`, a mark, the size and the name before the right border
    .map((l) => /^.*│[AMR ] +[\d.]+ [kMG]?B {2}(.*?)\s*│$/u.exec(l)?.[1])
    .filter((t): t is string => t !== undefined)
    .map((t) => t.replace(/\/$/, ''));
}

// dive 0.12's own file tree of layer 0 (busybox) of this image, name-sorted with bin folded, read off its screen in
// tmux (`dive-0.12.0 --source docker-archive test-docker-image.tar`, Tab, Space)
const DIVE_LAYER_0 = [
  '├─⊕ bin',
  '├── dev',
  '├── etc',
  '│   ├── group',
  '│   ├── localtime',
  '│   ├── network',
  '│   │   ├── if-down.d',
  '│   │   ├── if-post-down.d',
  '│   │   ├── if-pre-up.d',
  '│   │   └── if-up.d',
  '│   ├── passwd',
  '│   └── shadow',
  '├── home',
  '├── root',
  '├── tmp',
  '├── usr',
  '│   └── sbin',
  '└── var',
  '    ├── spool',
  '    │   └── mail',
  '    └── www',
];

test('tree guide lines (t, or the treeGuideLines option): layer 0 drawn as dive 0.12 draws it', async () => {
  const b = new Browser({ image, analysis, checks: [], baseLayers: 1 });
  assert.equal(b.state.treeGuideLines, false, 'off by default');
  const { press, frame, unmount } = await renderBrowser(b);
  await press(KEY.tab);
  await press(KEY.ctrlO); // dive sorts by name
  await press(' '); // fold bin, the first row
  assert.match(frame(), /A +1\.15 MB {2}⊕ bin\//, 'plain indentation without the option');
  await press('t');
  assert.equal(b.state.treeGuideLines, true);
  assert.deepEqual(treeColumn(frame()), DIVE_LAYER_0);
  await press('t');
  assert.match(frame(), /A +307 B {4}group/, 'toggled off again: indentation only');
  unmount();
});

test('the treeGuideLines option opens the browser with the guide lines on; the window keeps them when scrolled', async () => {
  const b = new Browser({ image, analysis, checks: [], baseLayers: 1 }, undefined, { treeGuideLines: true });
  assert.equal(b.state.treeGuideLines, true);
  const { press, frame, unmount } = await renderBrowser(b);
  await press(KEY.tab);
  await press(KEY.ctrlO);
  // past bin's children: the first row in view is deep in /etc, and its ancestors' branches are still drawn
  const binRows = b.treeView().totalRows - DIVE_LAYER_0.length;
  await press('j'.repeat(binRows + 5 + b.state.treeHeight));
  const column = treeColumn(frame());
  assert.match(column[0]!, /^│ {3}/, `the first row in view is below a top directory: ${column[0]}`);
  assert.ok(column.includes('│   │   └── if-up.d'), column.join('\n'));
  assert.equal(column.at(-1), '    └── www');
  unmount();
});
