import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hashFileRange, ParallelSha256 } from '../../src/layer/parallelSha256.js';

const sha = (b: Uint8Array) => 'sha256:' + createHash('sha256').update(b).digest('hex');

test("the worker's re-read of a file range hashes exactly that range, across its read pieces and at any offset", async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fathom-range-'));
  try {
    const MiB = 1 << 20;
    const bytes = randomBytes(3 * MiB + 12345);
    const path = join(dir, 'blob');
    writeFileSync(path, bytes);
    // within one piece, exactly one piece, across two and three, from odd offsets, empty, and several at once
    const ranges = [
      [0, 10],
      [0, MiB],
      [7, MiB + 1],
      [511, 2 * MiB + 3],
      [MiB - 1, 2 * MiB + 2],
      [0, bytes.length],
      [100, 0],
    ] as const;
    const digests = await Promise.all(ranges.map(([offset, size]) => hashFileRange(path, offset, size).digest));
    ranges.forEach(([offset, size], i) => assert.equal(digests[i], sha(bytes.subarray(offset, offset + size)), `${offset}+${size}`));
    // a range past the end hashes what is there, as a short read of the blob would (its digest then cannot match)
    assert.equal(await hashFileRange(path, bytes.length - 5, 100).digest, sha(bytes.subarray(bytes.length - 5)));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a re-read that fails or is cancelled rejects, and the worker goes on hashing', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fathom-range-'));
  try {
    await assert.rejects(hashFileRange(join(dir, 'missing'), 0, 10).digest, /ENOENT/);
    await assert.rejects(hashFileRange(dir, 0, 10).digest, /EISDIR/);
    const path = join(dir, 'big');
    writeFileSync(path, Buffer.alloc(64 << 20, 1));
    const job = hashFileRange(path, 0, 64 << 20);
    job.cancel();
    await assert.rejects(job.digest, /cancelled/);
    const h = new ParallelSha256();
    h.update(Buffer.from('abc'));
    assert.equal(await h.digest(), sha(Buffer.from('abc')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('bytes in shared memory are hashed where they lie, in the order given, while other hashes go through the ring', async () => {
  const MiB = 1 << 20;
  const shared = Buffer.from(new SharedArrayBuffer(3 * MiB));
  randomBytes(3 * MiB).copy(shared);
  const a = new ParallelSha256();
  const b = new ParallelSha256();
  // views at odd offsets and lengths, all posted before any is done; another hash fed through the ring between them
  const cuts = [0, 1, 513, MiB + 7, 2 * MiB, 3 * MiB];
  const ringBytes = randomBytes(MiB + 3);
  const done: Promise<void>[] = [];
  for (let i = 0; i + 1 < cuts.length; i++) {
    done.push(a.updateShared(shared.subarray(cuts[i], cuts[i + 1])));
    await b.update(ringBytes.subarray(i * 1000, (i + 1) * 1000));
  }
  await Promise.all(done);
  assert.equal(await a.digest(), sha(shared));
  assert.equal(await b.digest(), sha(ringBytes.subarray(0, 5000)));
  assert.throws(() => new ParallelSha256().updateShared(Buffer.alloc(10)), /SharedArrayBuffer/);
});
