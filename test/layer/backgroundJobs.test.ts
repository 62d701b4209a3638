import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { loadImage } from '../../src/archive/loadImage.js';
import { InputError } from '../../src/errors.js';
import { chunksOf, dockerArchive, makeTar } from '../helpers/buildArchive.js';

/**
 * A library caller (a server, a test runner) lives on after a load fails: a digest job the load started in the
 * background must not fail later, unheard, as an unhandled rejection that kills the process.
 */
test('a load that fails early leaves no background digest job to fail after it', async () => {
  const good = gzipSync(await makeTar([{ name: 'a.txt', content: 'x'.repeat(100_000) }]));
  // a gzip layer whose deflate data is broken after its header: the read fails a few bytes in
  const broken = Buffer.concat([good.subarray(0, 10), Buffer.alloc(good.length - 10, 0xff)]);
  const archive = await dockerArchive([{ tag: 'b:1', layers: [{ items: [], raw: broken, compression: 'none' }] }]);
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  process.on('unhandledRejection', onUnhandled);
  try {
    // the archive's "file" is a directory: the digest worker's re-read of the blob fails (EISDIR) while the
    // decompression fails on its own
    const notAFile = mkdtempSync(join(tmpdir(), 'fathom-jobs-'));
    await assert.rejects(loadImage(chunksOf(archive), 'broken.tar', { defaultPlatform: 'linux/amd64', filePath: notAFile }), (err: Error) => {
      assert.ok(err instanceof InputError, err.message);
      assert.match(err.message, /broken\.tar: .*corrupt gzip/);
      return true;
    });
    // the worker answers within milliseconds; give a late rejection every chance to surface
    await new Promise((resolve) => setTimeout(resolve, 1000));
    assert.deepEqual(unhandled.map(String), []);
  } finally {
    process.off('unhandledRejection', onUnhandled);
  }
});
