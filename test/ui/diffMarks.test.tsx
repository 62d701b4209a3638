import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeImage } from '../../src/analysis/analyzeImage.js';
import { loadImage } from '../../src/archive/loadImage.js';
import { PathTable } from '../../src/model/pathTable.js';
import { Browser } from '../../ui/model/browser.js';
import { chunksOf, dockerArchive, type TarItem } from '../helpers/buildArchive.js';
import { KEY, renderBrowser } from '../helpers/inkApp.js';

// `fathom diff` on a terminal: the browser on HEAD with its tree marked against BASE's final filesystem (A/M/R and
// the change kinds), filtered to the changed paths with ctrl+u as in dive. Two real archives made with tar-stream.
const base: TarItem[] = [
  { name: 'srv/', type: 'directory' },
  { name: 'srv/keep.txt', content: 'kept\n' },
  { name: 'srv/old.txt', content: 'going away\n' },
  { name: 'srv/edit.txt', content: 'aaaa\n' },
  { name: 'srv/mode.sh', content: 'echo\n', mode: 0o644 },
];
const upper: TarItem[] = [
  { name: 'srv/', type: 'directory' },
  { name: 'srv/new.txt', content: 'brand new\n' },
  { name: 'srv/.wh.old.txt', content: '' },
  { name: 'srv/edit.txt', content: 'bbbb\n' },
  { name: 'srv/mode.sh', content: 'echo\n', mode: 0o755 },
];
const paths = new PathTable();
const load = async (items: TarItem[][], tag: string) =>
  loadImage(chunksOf(await dockerArchive([{ tag, layers: items.map((i) => ({ items: i })) }])), tag, { defaultPlatform: 'linux/amd64', paths });
const baseImage = await load([base], 'marks/base:1');
const head = await load([base, upper], 'marks/head:1');

test('the browser of a diff opens on HEAD marked against BASE, with the change kinds; ctrl+u keeps the changed paths', async () => {
  const b = new Browser({ image: head, analysis: analyzeImage(head), checks: [], baseLayers: 1, against: { name: 'marks/base:1', files: baseImage.files } });
  assert.deepEqual([b.state.layer, b.state.compare], [1, 'base']);
  const { press, frame, unmount } = await renderBrowser(b);
  await press(KEY.tab);
  await press('\u000f'); // ctrl+o: by name
  const rows = () => b.visibleRows().map((r) => `${r.mark} ${r.node.path}${r.kinds.length ? ` [${r.kinds.join(',')}]` : ''}`);
  assert.deepEqual(rows(), ['modified /srv', 'modified /srv/edit.txt [modified]', 'unmodified /srv/keep.txt', 'modified /srv/mode.sh [mode]', 'added /srv/new.txt', 'removed /srv/old.txt']);
  assert.match(frame(), /vs BASE marks\/base:1/);
  assert.match(frame(), /mode\.sh {2}\[mode\]/);
  await press(KEY.ctrlU);
  assert.ok(!rows().some((r) => r.includes('keep.txt')), 'unchanged paths hidden');
  // the removed file is shown with BASE's entry (its size), not HEAD's nothing
  assert.equal(b.visibleRows().find((r) => r.node.path === '/srv/old.txt')!.size, 11);
  // ctrl+l compares layers again, ctrl+d comes back to BASE
  await press(KEY.tab);
  await press('\u000c');
  assert.equal(b.state.compare, 'layer');
  await press('\u0004');
  assert.equal(b.state.compare, 'base');
  unmount();
});
