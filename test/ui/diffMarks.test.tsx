import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeImage } from '../../src/analysis/analyzeImage.js';
import { loadImage } from '../../src/archive/loadImage.js';
import { Kind } from '../../src/model/kinds.js';
import { PathTable } from '../../src/model/pathTable.js';
import { Browser } from '../../ui/model/browser.js';
import { chunksOf, dockerArchive, type TarItem } from '../helpers/buildArchive.js';
import { KEY, renderBrowser } from '../helpers/inkApp.js';
import { IMAGES, sharedAvailable } from '../helpers/shared.js';

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

// A hard link's entry holds no bytes (tar writes size 0 for it, and Go's archive/tar, dive's reader, reports that
// size), so dive counts it 0 in its directory sizes, as the layer browser does; against BASE the browser counted
// its target's whole content instead, once per link: each of busybox's ~400 links as 1 MB, bin/ as 423 MB.
test('against BASE a hard link counts 0 bytes in its directory, as dive and the layer browser count it (shared busybox images)', { skip: sharedAvailable() ? false : 'no shared images' }, async () => {
  const table = new PathTable();
  const archive = (name: string) => join(IMAGES, 'corpus', 'docker-archive', `${name}.tar`);
  const open = (name: string) => loadImage(createReadStream(archive(name), { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>, name, { defaultPlatform: 'linux/amd64', paths: table });
  const [bb, links] = [await open('busybox-base'), await open('links-tiny')];
  // links-tiny's usr/local/bin/busybox-hardlink-to-base-file, a hard link (tar -tv: "h… 0 … link to bin/busybox");
  // dive 0.12 on links-tiny, read off its screen in tmux: usr/, usr/local/, usr/local/bin/ and the link all 0 B
  const link = '/usr/local/bin/busybox-hardlink-to-base-file';
  const sizes = (b: Browser) => {
    const view = b.treeView();
    const sizeOf = (path: string) => view.state.size[b.tree.nodeOf(path)!.id]!;
    return [sizeOf(link), sizeOf('/usr/local/bin'), sizeOf('/usr')];
  };
  const input = { image: links, analysis: analyzeImage(links), checks: [], baseLayers: 1 };
  const vsBase = new Browser({ ...input, against: { name: 'busybox-base', files: bb.files } });
  assert.equal(vsBase.state.compare, 'base');
  assert.equal(vsBase.tree.files.kind(vsBase.tree.files.visibleId(vsBase.tree.nodeOf(link)!.pathId)), Kind.hardlink);
  assert.deepEqual(sizes(vsBase), [0, 0, 0]);
  // the same tree in the layer browser at HEAD's last layer, aggregated (everything since layer 0)
  const layers = new Browser(input, undefined, { aggregated: true });
  for (let i = 0; i < links.layers.length - 1; i++) layers.press({ input: 'j', ctrl: false, meta: false, shift: false });
  assert.equal(layers.state.layer, links.layers.length - 1);
  assert.deepEqual(sizes(layers), [0, 0, 0]);
  // the link's target is still its 1,982,256 bytes, once
  assert.equal(vsBase.treeView().state.size[vsBase.tree.nodeOf('/bin/busybox')!.id], 1982256);
});
