import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readLayerBlob } from '../../src/layer/readLayer.js';
import { chunksOf, makeTar, zstdCompress } from '../helpers/buildArchive.js';
import { entriesOf } from '../helpers/model.js';
import { IMAGES } from '../helpers/shared.js';
import { readZstd, readZstdWithoutBinary, zstdBinaryInstalled } from '../helpers/zstdDecoders.js';

// Layer blobs in zstd: frames, skippable frames, and both decoders (src/layer/compression.ts).

test('zstd:chunked-style layers: several zstd frames and a skippable frame are one valid stream', async () => {
  const part1 = await makeTar([{ name: 'one.txt', content: 'first frame' }]);
  const part2 = await makeTar([{ name: 'two.txt', content: 'second frame' }]);
  // a tar split across two frames: drop part1's end-of-archive blocks so the stream is one tar
  const tar1 = part1.subarray(0, part1.length - 1024);
  const skippable = Buffer.concat([Buffer.from([0x50, 0x2a, 0x4d, 0x18]), Buffer.from([8, 0, 0, 0]), Buffer.alloc(8, 1)]);
  const blob = Buffer.concat([zstdCompress(tar1), skippable, zstdCompress(part2)]);
  const layer = await readLayerBlob(chunksOf(blob, 7), 'chunked');
  assert.equal(layer.compression, 'zstd');
  assert.deepEqual(entriesOf(layer.files).map((e) => e.path), ['/one.txt', '/two.txt']);
});

test('both zstd decoders (the zstd binary and fzstd) read the same layers, frames, skippable frames and errors', async () => {
  assert.ok(zstdBinaryInstalled(), 'the zstd binary is installed (.ci/run installs it)');
  const part1 = await makeTar([{ name: 'one.txt', content: 'first frame' }]);
  const part2 = await makeTar([{ name: 'two.txt', content: Buffer.alloc(200000, 3) }]);
  const skippable = Buffer.concat([Buffer.from([0x5f, 0x2a, 0x4d, 0x18]), Buffer.from([4, 0, 0, 0]), Buffer.alloc(4, 9)]);
  const blob = Buffer.concat([zstdCompress(part1.subarray(0, part1.length - 1024)), skippable, zstdCompress(part2)]);
  const bad = Buffer.from(blob);
  for (let i = 10; i < 40; i++) bad[i] = 0xee;
  const reads = { blob, bad, archive: join(IMAGES, 'corpus', 'oci-archive-zstd', 'links-tiny.tar') };
  const binary = await readZstd(reads);
  const js = readZstdWithoutBinary(reads);
  // the binary checks the frame checksum; fzstd does not, and the garbage fails as a tar instead
  assert.match(binary.badError, /bad: corrupt zstd stream/, 'binary');
  assert.match(js.badError, /bad: (corrupt zstd stream|not a valid tar)/, 'js');
  assert.deepEqual([js.diffId, js.entries], [binary.diffId, binary.entries]);
  assert.equal(js.archiveDiffIds, binary.archiveDiffIds);
  assert.deepEqual(binary.entries.map((e) => e[0]), ['/one.txt', '/two.txt']);
});
