/**
 * `fathom strip` of the bench archive (issue 16): the plan costs at most 10% over loading the image (load + review),
 * and writing the output at most one more read of the archive (the floor: decompress + tar parse, measured by
 * run.ts in the same run). Everything is kept (`--keep '/**'`), the worst case for both: every path is planned and
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

export async function stripBench(archive: string, floorSeconds: number, repeats: number): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'fathom-bench-strip-'));
  const best = { load: Infinity, plan: Infinity, write: Infinity };
  let kept = 0;
  let bytes = 0;
  try {
    for (let i = 0; i < repeats; i++) {
      let t = process.hrtime.bigint();
      const image = await loadForReview({ source: await openArchiveFile(archive), select: { defaultPlatform: 'linux/amd64' } });
      const r = review(image, planReview({ gate: gateConfigFrom({}, {}), today: '2026-01-01' }));
      best.load = Math.min(best.load, seconds(t));
      t = process.hrtime.bigint();
      const plan = planStrip(r, { keep: ['/**'], profiles: new Set(PROFILES) });
      best.plan = Math.min(best.plan, seconds(t));
      t = process.hrtime.bigint();
      const w = await writeStrippedImage(plan, image, r.tree, { source: fromArchiveFile(archive), output: join(dir, 'out.tar'), format: 'docker', epoch: 0 });
      best.write = Math.min(best.write, seconds(t));
      kept = plan.kept.length;
      bytes = w.archiveBytes;
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return (
    `strip (everything kept: ${kept} paths, ${(bytes / 1e6).toFixed(0)} MB written): load + review ${best.load.toFixed(2)} s, plan ${best.plan.toFixed(2)} s ` +
    `(plan / load ${(best.plan / best.load).toFixed(2)}, target <= 0.10), write ${best.write.toFixed(2)} s (write / floor ${(best.write / floorSeconds).toFixed(2)}x, target <= 1x plus the bytes written)`
  );
}
