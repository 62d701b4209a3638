import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeTar, sha256, zstdCompress } from '../helpers/buildArchive.js';
import { readWithoutZstdBinary, zeroFileLayer } from '../helpers/zstdFallback.js';

// The JavaScript zstd decoder (src/layer/zstdFrames.ts over fzstd), on a machine without the zstd binary.

const dir = mkdtempSync(join(tmpdir(), 'fathom-zstd-fallback-'));
const MB = 1 << 20;

function file(name: string, content: Buffer): string {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
}

/** What the real zstd binary says about a blob: its exit status (the oracle for what must be rejected). */
function binaryAccepts(path: string): boolean {
  return spawnSync('zstd', ['-d', '-c', '-q', path], { stdio: ['ignore', 'ignore', 'ignore'], maxBuffer: 1 << 30 }).status === 0;
}

test('a 700 MB zero file in a small zstd layer decodes in bounded memory', { timeout: 600_000 }, async () => {
  const path = join(dir, 'zeros.tar.zst');
  await zeroFileLayer(path, 'zeros', 700 * MB);
  const r = readWithoutZstdBinary(path);
  assert.equal(r.error, undefined);
  assert.equal(r.entries, 1);
  // before: the decoder handed on a pushed chunk only when it was all decoded, ~700 MB at once
  assert.ok(r.maxRssBytes < 300 * MB, `peak RSS ${(r.maxRssBytes / MB).toFixed(0)} MB`);
});

test('a bad content checksum is rejected, as the zstd binary rejects it', async () => {
  const tarBytes = await makeTar([{ name: 'a.txt', content: 'checksummed content\n'.repeat(50) }]);
  const good = zstdCompress(tarBytes);
  // zstd writes the xxh64 content checksum's low 32 bits as the frame's last 4 bytes
  const bad = Buffer.from(good);
  bad[bad.length - 1]! ^= 0x5a;
  const goodPath = file('good.zst', good);
  const badPath = file('bad-checksum.zst', bad);
  assert.equal(binaryAccepts(goodPath), true);
  assert.equal(binaryAccepts(badPath), false, 'the oracle rejects it');
  const ok = readWithoutZstdBinary(goodPath);
  assert.equal(ok.diffId, sha256(tarBytes));
  const r = readWithoutZstdBinary(badPath);
  assert.match(r.error ?? '(accepted)', /layer\.zst: corrupt zstd stream \(content checksum mismatch\)/);
});

/** A frame by hand: magic, header descriptor, the rest of the header, one raw last block, optional checksum. */
function frame(descriptor: number, headerRest: number[], content: Buffer): Buffer {
  const blockHeader = 1 | (0 << 1) | (content.length << 3);
  return Buffer.concat([
    Buffer.from([0x28, 0xb5, 0x2f, 0xfd, descriptor, ...headerRest]),
    Buffer.from([blockHeader & 0xff, (blockHeader >> 8) & 0xff, (blockHeader >> 16) & 0xff]),
    content,
  ]);
}

const le64 = (n: bigint) => [...Array(8).keys()].map((i) => Number((n >> BigInt(8 * i)) & 0xffn));

test('a frame header claiming a 2 GB or 2^62-byte content size is refused without allocating it', async () => {
  const content = await makeTar([{ name: 'x', content: 'tiny' }]);
  // single segment (window = content size), 8-byte content size: the whole claim would be the window
  const claims2g = file('claims-2g.zst', frame(0xe0, le64(2_000_000_000n), content));
  const claims262 = file('claims-2p62.zst', frame(0xe0, le64(1n << 62n), content));
  // not single segment: a 4 KiB window, and a declared size of 2^62 that the content does not have
  const lies262 = file('lies-2p62.zst', frame(0xc0, [0x10, ...le64(1n << 62n)], content));
  for (const p of [claims2g, claims262, lies262]) assert.equal(binaryAccepts(p), false, `the oracle rejects ${p}`);
  for (const [p, message] of [
    [claims2g, /a window of 1908 MiB, above the 128 MiB/],
    [claims262, /a window of 4398046511104 MiB, above the 128 MiB/],
    [lies262, /\d+ bytes of content, the frame declares 4611686018427387904/],
  ] as const) {
    const r = readWithoutZstdBinary(p);
    assert.match(r.error ?? '(accepted)', message);
    // before: fzstd allocated the claimed size (or read 2^62 as 2^30) up front
    assert.ok(r.maxRssBytes < 200 * MB, `peak RSS ${(r.maxRssBytes / MB).toFixed(0)} MB`);
  }
});
