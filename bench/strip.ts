/**
 * `fathom strip` of the bench archive (issue 16): the plan costs at most 10% over loading the image (load + review),
 * and writing the output at most one more read of the archive (the floor: decompress + tar parse, measured by
 * run.ts in each round). Everything is kept (`--keep '/**'`), the worst case for both: every path is planned and
 * every byte written. In-process, best of `repeats`; the output goes to a temporary directory, removed after.
 */
import { mkdtempSync, rmSync } from 'node:fs';
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

/**
 * `floor()` reads the archive once in a child process (decompress + tar parse) and says how long it took. It runs in
 * every round just before that round's strip, so each write / floor ratio compares two runs on the same machine
 * (several processes share it), and the median of the ratios is the figure.
 */
export async function stripBench(archive: string, floor: () => number, repeats: number): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'fathom-bench-strip-'));
  const best = { load: Infinity, plan: Infinity, write: Infinity, floor: Infinity };
  const planRatios: number[] = [];
  const writeRatios: number[] = [];
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
      best.load = Math.min(best.load, load);
      best.plan = Math.min(best.plan, planned);
      best.write = Math.min(best.write, write);
      best.floor = Math.min(best.floor, floorSeconds);
      planRatios.push(planned / load);
      writeRatios.push(write / floorSeconds);
      kept = plan.kept.length;
      bytes = w.archiveBytes;
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return (
    `strip (everything kept: ${kept} paths, ${(bytes / 1e6).toFixed(0)} MB written; ${repeats} rounds, each with its own floor run; best times, median ratios): ` +
    `load + review ${best.load.toFixed(2)} s, plan ${best.plan.toFixed(2)} s (plan / load ${median(planRatios).toFixed(2)}, target <= 0.10), ` +
    `write ${best.write.toFixed(2)} s, floor ${best.floor.toFixed(2)} s (write / floor ${median(writeRatios).toFixed(2)}x, rounds ${writeRatios.map((x) => x.toFixed(2)).join(' ')}; target <= 1x plus the bytes written)`
  );
}
