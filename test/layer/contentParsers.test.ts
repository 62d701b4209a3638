import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readLayerInChild, zeroFileLayer } from '../helpers/zstdFallback.js';

// File contents the layer reader parses as they stream (src/layer/packageDb.ts, contentProbe.ts): a malformed file
// is data, in memory bounded per file.

const MB = 1 << 20;

test('a 300 MB dpkg status file without a newline is read in bounded memory', { timeout: 300_000 }, async () => {
  const path = join(mkdtempSync(join(tmpdir(), 'fathom-parsers-')), 'status.tar.gz');
  await zeroFileLayer(path, 'var/lib/dpkg/status', 300 * MB, { compressor: 'gzip', fill: 0x41 });
  const r = readLayerInChild(path, { withoutZstdBinary: false });
  assert.equal(r.error, undefined);
  assert.equal(r.entries, 1);
  // before: the unfinished line was kept whole and rescanned with every chunk (300 MB, and quadratic time)
  assert.ok(r.maxRssBytes < 250 * MB, `peak RSS ${(r.maxRssBytes / MB).toFixed(0)} MB`);
});
