import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { goFloat } from '../../src/ci/goFloat.js';
import { ROOT } from '../helpers/runCli.js';

test("goFloat prints every float64 of Go's own table exactly as Go's %v does", () => {
  const rows = readFileSync(join(ROOT, 'test', 'ci', 'goFloat.tsv'), 'utf8').split('\n').filter((l) => l !== '' && !l.startsWith('#'));
  assert.ok(rows.length > 150, `${rows.length} rows`);
  const wrong: string[] = [];
  for (const row of rows) {
    const [hex, want] = row.split('\t') as [string, string];
    const x = Buffer.from(hex, 'hex').readDoubleBE(0);
    if (goFloat(x) !== want) wrong.push(`${hex}: Go ${want}, fathom ${goFloat(x)}`);
  }
  assert.deepEqual(wrong, []);
});
