// The Inefficient Files list in dive's order when sizes tie. dive 0.12 collects a path at its second appearance
// (layer by layer, depth-first in name order) and sorts with Go 1.19's sort.Sort (pdqsort: not stable, but
// deterministic — three runs of dive on each archive below printed the same list), then prints it reversed; past
// 12 entries no stable sort gives its order. The archives are real (tar-stream); the expected list of the first
// is dive 0.12's own output on it, and the others are compared with dive itself when ../shared/reference has it.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { dockerArchive, type TarItem } from '../helpers/buildArchive.js';
import { diveCi, diveMissing } from '../helpers/dive.js';
import { runCliAsync } from '../helpers/runCli.js';

const work = mkdtempSync(join(tmpdir(), 'fathom-ties-'));
writeFileSync(join(work, 'package.json'), '{"name":"x"}');

/** n paths written in several layers, sizes 1..k interleaved so that equal sizes are scattered through the list. */
async function tiesArchive(file: string, n: number, k: number, layered: boolean): Promise<string> {
  const size = (i: number) => 1 + ((i * 7919 + (layered ? i >> 3 : 0)) % k);
  const name = (i: number) => (layered ? `${['a', 'a-b', 'b/c', 'a/x'][i % 4]}/f${i}` : `d/f${String(i).padStart(3, '0')}`);
  const dirs: TarItem[] = (layered ? ['a/', 'a-b/', 'b/', 'b/c/', 'a/x/'] : ['d/']).map((d) => ({ name: d, type: 'directory' }));
  const layer = (c: string, pick: (i: number) => boolean) => ({
    items: [...dirs, ...Array.from({ length: n }, (_, i) => i).filter(pick).map((i) => ({ name: name(i), content: c.repeat(size(i)) }))],
  });
  const layers = layered ? [layer('a', (i) => i % 3 !== 2), layer('b', (i) => i % 3 !== 1), layer('c', (i) => i % 3 !== 0)] : [layer('a', () => true), layer('b', () => true)];
  writeFileSync(join(work, file), await dockerArchive([{ tag: 'ties:1', layers: [{ items: [{ name: 'x', content: 'base' }] }, ...layers] }]));
  return file;
}

/** The paths of the Inefficient Files table of a CI run, in order. */
function inefficientPaths(out: string): string[] {
  const lines = out.replace(/\x1b\[[0-9;]*m/g, '').split('\n');
  const from = lines.findIndex((l) => l.startsWith('Count'));
  const to = lines.findIndex((l, i) => i > from && l.startsWith('Results:'));
  return lines.slice(from + 1, to).map((l) => l.trim().split(/\s+/).pop()!);
}

test("40 paths in three sizes: dive 0.12's own order, ties included", async () => {
  const archive = await tiesArchive('ties-40.tar', 40, 3, false);
  const r = await runCliAsync([archive, '--ci', '--fail-on', 'never'], { cwd: work });
  assert.equal(r.status, 0, r.stderr);
  // printed by `CI=true dive-0.12.0 --source docker-archive ties-40.tar` (the same in three runs)
  const dive = [1, 16, 37, 13, 19, 34, 4, 10, 31, 22, 25, 28, 7, 26, 29, 8, 23, 5, 32, 11, 35, 2, 17, 38, 14, 20, 18, 12, 0, 21, 9, 24, 27, 6, 30, 33, 3, 36, 39, 15];
  assert.deepEqual(inefficientPaths(r.stdout), dive.map((i) => `/d/f${String(i).padStart(3, '0')}`));
});

test('ties across layers and directories, up to 2,000 paths: the same list as dive 0.12 prints', async (t) => {
  if (diveMissing) return t.skip(diveMissing);
  for (const [n, k] of [[13, 3], [300, 3], [1000, 2], [2000, 7], [500, 1]] as const) {
    const archive = await tiesArchive(`ties-${n}-${k}.tar`, n, k, n !== 13);
    const ours = inefficientPaths((await runCliAsync([archive, '--ci', '--fail-on', 'never'], { cwd: work })).stdout);
    const first = inefficientPaths(diveCi(archive, work).stdout);
    assert.ok(first.length >= 13, `${n}: ${first.length} rows`);
    assert.deepEqual(inefficientPaths(diveCi(archive, work).stdout), first, `${n}: dive prints the same order twice`);
    assert.deepEqual(ours, first, `${n} paths, sizes 1..${k}`);
  }
});
