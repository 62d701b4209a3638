/**
 * `fathom strip` of the bench archive (issue 16): the plan costs at most 10% over loading the image (load + review),
 * and writing the output at most one more read of the archive (the floor: decompress + tar parse, measured by
 * run.ts in each round) plus the bytes written (as many bytes written in 1 MiB pieces to the same directory and
 * hashed once with sha256, which the output's layer digest needs: `bytesFloor`). Everything is kept (`--keep '/**'`),
 * the worst case for both: every path is planned and every byte written. In-process; the output goes to a temporary
 * directory, removed after. The write's target is judged on the best times of the rounds: on these VMs noise only
 * ever adds time, by up to a second on an 850 MB write (warmPages), and lands on either side of a round's ratio; the
 * median of the rounds' ratios is printed too.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdtempSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
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

/**
 * Before a timed write: as many bytes written to a scratch file there and removed, then every dirty page written
 * back (sync(1)). On this project's VMs the first big write after a quiet spell pays a host fault per page the
 * guest had given back (virtio-balloon), up to a second for 850 MB, whichever side of a comparison it lands on;
 * after this both sides write into pages the guest holds, and neither pays for writeback of the one before.
 */
function warmPages(dir: string, bytes: number): void {
  const scratch = join(dir, 'warm.bin');
  const piece = Buffer.alloc(1 << 20, 0xa5);
  const fd = openSync(scratch, 'w');
  try {
    for (let left = bytes; left > 0; left -= piece.length) writeSync(fd, piece, 0, Math.min(left, piece.length));
  } finally {
    closeSync(fd);
  }
  rmSync(scratch, { force: true });
  spawnSync('sync', { stdio: 'ignore' });
}

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
async function stripRounds(archive: string, floor: () => number, repeats: number, parent: string, where: string): Promise<string> {
  const dir = mkdtempSync(join(parent, 'fathom-bench-strip-'));
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
      // each timed write starts on warm pages with nothing dirty (warmPages), and the two go first in turn
      const writeFirst = i % 2 === 0;
      let bytesSeconds = 0;
      const warmBytes = bytes || statSync(archive).size;
      if (!writeFirst) {
        warmPages(dir, warmBytes);
        bytesSeconds = bytesFloor(join(dir, 'bytes.bin'), bytes);
      }
      warmPages(dir, warmBytes);
      t = process.hrtime.bigint();
      const w = await writeStrippedImage(plan, image, r.tree, { source: fromArchiveFile(archive), output: join(dir, 'out.tar'), format: 'docker', epoch: 0 });
      const write = seconds(t);
      rmSync(join(dir, 'out.tar'), { force: true });
      if (writeFirst) {
        warmPages(dir, warmBytes);
        bytesSeconds = bytesFloor(join(dir, 'bytes.bin'), w.archiveBytes);
      }
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
    `strip to ${where} (everything kept: ${kept} paths, ${(bytes / 1e6).toFixed(0)} MB written; ${repeats} rounds, each with its own floor run, the write and the bytes alone first in turn; best times, median ratios): ` +
    `load + review ${best.load.toFixed(2)} s, plan ${best.plan.toFixed(2)} s (plan / load ${median(planRatios).toFixed(2)}, target <= 0.10), ` +
    `write ${best.write.toFixed(2)} s, floor ${best.floor.toFixed(2)} s (write / floor ${median(writeRatios).toFixed(2)}x, rounds ${writeRatios.map((x) => x.toFixed(2)).join(' ')}); ` +
    `the bytes written and hashed alone ${best.bytes.toFixed(2)} s: write / (floor + bytes) of the best times ${(best.write / (best.floor + best.bytes)).toFixed(2)}x (target <= 1x), median of the rounds ${median(writeTargetRatios).toFixed(2)}x, rounds ${writeTargetRatios.map((x) => x.toFixed(2)).join(' ')}`
  );
}

/**
 * The rounds with the output on the temporary directory's disk, then (where there is one) on a tmpfs. On this
 * project's VMs the kernel's copy of a big write into the page cache varies by up to a second from run to run with
 * the guest's memory (pages the balloon gave back cost a fault to the host on first touch: measured with perf, the
 * same write's copy_folio_from_iter_atomic from 0.5 s to 1.3 s), on the write and on the bytes alone alike; on a
 * tmpfs the figure is the code's own cost.
 */
export async function stripBench(archive: string, floor: () => number, repeats: number): Promise<string> {
  const lines = [await stripRounds(archive, floor, repeats, tmpdir(), `disk (${tmpdir()})`)];
  if (existsSync('/dev/shm')) lines.push(await stripRounds(archive, floor, repeats, '/dev/shm', 'tmpfs (/dev/shm)'));
  return lines.join('\n');
}
