/**
 * `fathom strip` of the bench archive (issue 16): the plan costs at most 10% over loading the image (load + review),
 * and writing the output at most one more read of the archive (the floor: decompress + tar parse, measured by
 * run.ts in each round) plus the bytes written (as many bytes written in 1 MiB pieces to the same directory and
 * hashed once with sha256, which the output's layer digest needs: `bytesFloor`). Everything is kept (`--keep '/**'`), the worst case for both: every path is planned and
 * every byte written. In-process, best of `repeats`; the output goes to a temporary directory, removed after.
 */
import { createHash } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gateConfigFrom } from '../src/ci/gateConfig.js';
import { loadForReview } from '../src/review/loadForReview.js';
import { planReview, review } from '../src/review/review.js';
import { openArchiveFile } from '../src/source/openArchive.js';
import { planStrip } from '../src/strip/plan.js';
import { PROFILES } from '../src/strip/profiles.js';
import { fromArchiveFile } from '../src/strip/sourceBytes.js';
import { writeStrippedImage } from '../src/strip/writeArchive.js';

const seconds = (from: bigint) => Number(process.hrtime.bigint() - from) / 1e9;

const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Seconds to write `bytes` bytes to `path` in 1 MiB pieces and take their sha256: what any writer of them pays. */
function bytesFloor(path: string, bytes: number): number {
  const piece = Buffer.alloc(1 << 20, 0x5a);
  const t = process.hrtime.bigint();
  const hash = createHash('sha256');
  const fd = openSync(path, 'w');
  try {
    for (let left = bytes; left > 0; left -= piece.length) {
      const part = left >= piece.length ? piece : piece.subarray(0, left);
      hash.update(part);
      writeSync(fd, part);
    }
  } finally {
    closeSync(fd);
  }
  hash.digest();
  const s = seconds(t);
  rmSync(path, { force: true });
  return s;
}

/**
 * `floor()` reads the archive once in a child process (decompress + tar parse) and says how long it took. It runs in
 * every round just before that round's strip, so each write / floor ratio compares two runs on the same machine
 * (several processes share it), and the median of the ratios is the figure.
 */
export async function stripBench(archive: string, floor: () => number, repeats: number): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'fathom-bench-strip-'));
  const best = { load: Infinity, plan: Infinity, write: Infinity, floor: Infinity, bytes: Infinity };
  const planRatios: number[] = [];
  const writeRatios: number[] = [];
  const writeTargetRatios: number[] = [];
  let kept = 0;
  let bytes = 0;
  try {
    for (let i = 0; i < repeats; i++) {
      const floorSeconds = floor();
      let t = process.hrtime.bigint();
      const image = await loadForReview({ source: await openArchiveFile(archive), select: { defaultPlatform: 'linux/amd64' } });
      const r = review(image, planReview({ gate: gateConfigFrom({}, {}), today: '2026-01-01' }));
      const load = seconds(t);
      t = process.hrtime.bigint();
      const plan = planStrip(r, { keep: ['/**'], profiles: new Set(PROFILES) });
      const planned = seconds(t);
      t = process.hrtime.bigint();
      const w = await writeStrippedImage(plan, image, r.tree, { source: fromArchiveFile(archive), output: join(dir, 'out.tar'), format: 'docker', epoch: 0 });
      const write = seconds(t);
      rmSync(join(dir, 'out.tar'), { force: true });
      const bytesSeconds = bytesFloor(join(dir, 'bytes.bin'), w.archiveBytes);
      best.load = Math.min(best.load, load);
      best.plan = Math.min(best.plan, planned);
      best.write = Math.min(best.write, write);
      best.floor = Math.min(best.floor, floorSeconds);
      planRatios.push(planned / load);
      best.bytes = Math.min(best.bytes, bytesSeconds);
      writeRatios.push(write / floorSeconds);
      writeTargetRatios.push(write / (floorSeconds + bytesSeconds));
      kept = plan.kept.length;
      bytes = w.archiveBytes;
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return (
    `strip (everything kept: ${kept} paths, ${(bytes / 1e6).toFixed(0)} MB written; ${repeats} rounds, each with its own floor run; best times, median ratios): ` +
    `load + review ${best.load.toFixed(2)} s, plan ${best.plan.toFixed(2)} s (plan / load ${median(planRatios).toFixed(2)}, target <= 0.10), ` +
    `write ${best.write.toFixed(2)} s, floor ${best.floor.toFixed(2)} s (write / floor ${median(writeRatios).toFixed(2)}x, rounds ${writeRatios.map((x) => x.toFixed(2)).join(' ')}); ` +
    `the bytes written and hashed alone ${best.bytes.toFixed(2)} s: write / (floor + bytes) ${median(writeTargetRatios).toFixed(2)}x, rounds ${writeTargetRatios.map((x) => x.toFixed(2)).join(' ')} (target <= 1x)`
  );
}
