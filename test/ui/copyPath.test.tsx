import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { analyzeImage } from '../../src/analysis/analyzeImage.js';
import { clipboardSequence } from '../../ui/clipboard.js';
import { Browser } from '../../ui/model/browser.js';
import { helpLines } from '../../ui/model/overlayItems.js';
import { KEY, renderBrowser } from '../helpers/inkApp.js';
import { DIVE_FIXTURE, loadFile } from '../helpers/shared.js';

const image = await loadFile(DIVE_FIXTURE);
const analysis = analyzeImage(image);

test('y (through Ink) asks the terminal side to copy the row under the cursor, and says so; a burst copies in order', async () => {
  const copies: string[] = [];
  const b = new Browser({ image, analysis, checks: [], baseLayers: 1 });
  const { press, frame, unmount } = await renderBrowser(b, (text) => copies.push(text));
  await press('y');
  assert.deepEqual(copies, [], 'the layers pane has no selected path');
  await press(KEY.tab + KEY.ctrlO); // by name: /bin, then /bin's files
  await press('y');
  assert.deepEqual(copies, ['/bin']);
  assert.match(frame(), /^copied \/bin \(OSC 52\)/m);
  await press('jyjy');
  const [first, second] = b.treeView().window(1, 2).map((r) => r.node.path);
  assert.deepEqual(copies, ['/bin', first, second]);
  await press('y');
  assert.equal(copies.length, 4, 'the same path again is copied again');
  await press('j');
  assert.doesNotMatch(frame(), /copied/, 'the message goes with the next key');
  unmount();
});

test('the OSC 52 sequence: ESC ] 52 ; c ; base64 BEL; in tmux also its DCS passthrough with the ESCs doubled', () => {
  // base64 as coreutils writes it, for a path with a space and a non-ASCII name
  const path = '/srv/my file/café.txt';
  const b64 = execFileSync('base64', ['-w0'], { input: path, encoding: 'utf8' });
  assert.equal(clipboardSequence(path, false), `\u001b]52;c;${b64}\u0007`);
  assert.equal(clipboardSequence(path, true), `\u001b]52;c;${b64}\u0007\u001bPtmux;\u001b\u001b]52;c;${b64}\u0007\u001b\\`);
});

test('help lists y', () => {
  const help = helpLines(new Browser({ image, analysis, checks: [], baseLayers: 1 }).keys).map((l) => l.text);
  assert.ok(help.some((l) => /^y +files: copy the selected path to the clipboard \(OSC 52\)/.test(l)));
});
