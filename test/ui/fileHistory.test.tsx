import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { analyzeImage } from '../../src/analysis/analyzeImage.js';
import { loadImage } from '../../src/archive/loadImage.js';
import { layerInstructions } from '../../src/dockerfile/layerLines.js';
import { parseDockerfile } from '../../src/dockerfile/parseDockerfile.js';
import { Browser } from '../../ui/model/browser.js';
import { buildFileTree } from '../../ui/model/fileTree.js';
import { fileHistory } from '../../ui/model/fileHistory.js';
import { chunksOf, dockerArchive } from '../helpers/buildArchive.js';
import { KEY, renderBrowser } from '../helpers/inkApp.js';
import { DIVE_FIXTURE, IMAGES, loadFile } from '../helpers/shared.js';

// Dockerfile.test-image: 3 cp somefile1 (6405 bytes, 0644), 4 chmod 444 somefile1, 7 mv somefile3 /root/saved.txt,
// 9 rm -rf /root/example/, 13 chmod +x /root/saved.txt.
const image = await loadFile(DIVE_FIXTURE);
const tree = buildFileTree(image);
const history = (path: string) => fileHistory(image.files, image.layers, tree.nodeOf(path)!.pathId).map((h) => `${h.layer} ${h.action} ${h.size ?? ''} ${h.mode?.toString(8) ?? ''}`.trim());

test('a path history: added, chmod, deleted with its dir; a mv target added then chmod; the mv source deleted', () => {
  assert.deepEqual(history('/root/example/somefile1.txt'), ['3 added 6405 644', '4 chmod 6405 444', '9 deleted with its dir']);
  assert.deepEqual(history('/root/saved.txt'), ['7 added 6405 644', '13 chmod 6405 755']);
  assert.deepEqual(history('/root/example/somefile3.txt'), ['6 added 6405 644', '7 deleted']);
  assert.equal(history('/root/example').at(-1), '9 deleted');
});

test('a path hidden by an opaque directory, and a rewrite with the same bytes', async () => {
  const archive = await dockerArchive([
    {
      tag: 'hist/opaque:1',
      layers: [
        { items: [{ name: 'srv/', type: 'directory' }, { name: 'srv/a.txt', content: 'one\n' }, { name: 'srv/b.txt', content: 'same\n' }] },
        { items: [{ name: 'srv/', type: 'directory' }, { name: 'srv/b.txt', content: 'same\n' }] },
        { items: [{ name: 'srv/', type: 'directory' }, { name: 'srv/.wh..wh..opq', content: '' }, { name: 'srv/c.txt', content: 'new\n' }] },
      ],
    },
  ]);
  const img = await loadImage(chunksOf(archive), 'hist/opaque:1', { defaultPlatform: 'linux/amd64' });
  const t = buildFileTree(img);
  const steps = (p: string) => fileHistory(img.files, img.layers, t.nodeOf(p)!.pathId).map((h) => `${h.layer} ${h.action}`);
  assert.deepEqual(steps('/srv/a.txt'), ['0 added', '2 hidden by opaque dir']);
  assert.deepEqual(steps('/srv/b.txt'), ['0 added', '1 rewritten identically', '2 hidden by opaque dir']);
});

test('i opens the selected path history in the browser, with the Dockerfile line under --dockerfile; Enter goes to that layer', async () => {
  const dockerfile = parseDockerfile(readFileSync(join(IMAGES, 'dive-fixtures', 'Dockerfile.test-image'), 'utf8'), 'Dockerfile.test-image');
  const b = new Browser({ image, analysis: analyzeImage(image), checks: [], baseLayers: 1, instructions: layerInstructions(image, dockerfile) });
  const { press, frame, unmount } = await renderBrowser(b);
  await press('w'); // to /root/example/somefile1.txt at layer 3
  await press('i');
  assert.equal(b.state.overlay, 'history');
  const f = frame();
  assert.match(f, /History of \/root\/example\/somefile1\.txt/);
  assert.match(f, / 3 {2}added +6405 {2}-rw-r--r-- {2}0:0 +Dockerfile:4 RUN cp \/somefile\.txt/);
  assert.match(f, / 4 {2}chmod +6405 {2}-r--r--r-- {2}0:0 +Dockerfile:5 RUN chmod 444/);
  assert.match(f, / 9 {2}deleted with its dir +Dockerfile:10 RUN rm -rf/);
  await press('jj');
  await press(KEY.enter);
  assert.equal(b.state.layer, 9);
  assert.equal(b.cursorRow()!.node.path, '/root/example/somefile1.txt');
  assert.equal(b.cursorRow()!.mark, 'removed');
  unmount();
});
