import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeImage } from '../../src/analysis/analyzeImage.js';
import { archivePathFor, DIVE_FIXTURE, expectedTable, loadFile } from '../helpers/shared.js';

const rows = expectedTable();

test('EXPECTED.md lists the shared images', () => {
  assert.ok(rows.length >= 14, `parsed ${rows.length} rows`);
});

for (const row of rows) {
  for (const layout of row.layouts) {
    test(`${layout}/${row.image} gives EXPECTED.md's figures`, async () => {
      const a = analyzeImage(await loadFile(archivePathFor(row, layout)));
      assert.equal(a.efficiency, row.efficiency, 'efficiency');
      assert.equal(a.sizeBytes, row.sizeBytes, 'sizeBytes');
      assert.equal(a.userSizeBytes, row.userSizeBytes, 'userSizeBytes');
      assert.equal(a.wastedBytes, row.wastedBytes, 'wastedBytes');
      assert.equal(a.userWastedPercent, row.userWastedPercent ?? 0, 'userWastedPercent');
      assert.equal(a.reclaimableBytes, row.reclaimableBytes, 'reclaimableBytes');
    });
  }
}

test("dive's golden test: the three inefficient files of test-docker-image.tar, in dive's order", async () => {
  const a = analyzeImage(await loadFile(DIVE_FIXTURE));
  assert.deepEqual(
    a.inefficient.map((f) => [f.path, f.count, f.cumulativeSize]),
    [
      ['/root/saved.txt', 2, 12810],
      ['/root/example/somefile1.txt', 2, 12810],
      ['/root/example/somefile3.txt', 2, 6405],
    ],
  );
});

test('each inefficient file says which layers wrote and deleted it', async () => {
  const a = analyzeImage(await loadFile(DIVE_FIXTURE));
  const f = a.inefficient.find((x) => x.path === '/root/example/somefile3.txt')!;
  // Dockerfile.test-image: layer 6 copies somefile3.txt, layer 7 moves it away (a whiteout)
  assert.deepEqual(f.appearances, [
    { layer: 6, size: 6405, kind: 'added' },
    { layer: 7, size: 0, kind: 'deleted' },
  ]);
  const hidden = a.hidden.slice().filter((h) => h.path === '/root/example/somefile2.txt');
  // copied in layer 5, removed with the whole directory by `rm -rf /root/example/` in layer 9
  assert.deepEqual(hidden.map((h) => [h.writtenBy, h.hiddenBy, h.how]), [[5, 9, 'deleted']]);
});
