/**
 * One fuzz case, start to end, in this thread: the seed and mutations its numbers determine, the archive assembled,
 * then what `fathom IMAGE` does with it in memory (load, review with every rule, the JSON report). The outcome is
 * success, one of fathom's own error classes (with its message), or a finding: any other exception, or an error
 * message that is not one line naming the archive.
 */
import { writeFileSync } from 'node:fs';
import { loadImage } from '../../src/archive/loadImage.js';
import { gateConfigFrom } from '../../src/ci/gateConfig.js';
import { ConfigError, InputError } from '../../src/errors.js';
import { jsonReport } from '../../src/report/jsonReport.js';
import { planReview, review } from '../../src/review/review.js';
import { openArchiveFile } from '../../src/source/openArchive.js';
import { chunksOf } from '../helpers/buildArchive.js';
import { mutate, Rng } from './mutations.js';
import { assemble, seeds } from './seeds.js';

export type Outcome =
  | { readonly kind: 'ok' }
  | { readonly kind: 'input-error'; readonly message: string }
  | { readonly kind: 'finding'; readonly message: string };

export interface CaseSpec {
  readonly seed: number;
  readonly caseNo: number;
  readonly zstdPath: string;
  /** Where a case that reads from a file writes its archive (the harness's own file, never fathom's). */
  readonly scratchFile: string;
}

/** The archive a case reads, and how it reads it. */
export async function caseArchive(spec: CaseSpec): Promise<{ archive: Buffer; applied: string[]; seedName: string; chunk: number; viaFile: boolean }> {
  const rng = new Rng(spec.seed, spec.caseNo);
  const seed = rng.pick(seeds());
  const { applied, archiveEdits } = mutate(rng, seed);
  let archive = await assemble(seed, spec.zstdPath);
  for (const edit of archiveEdits) archive = edit(archive);
  return { archive, applied, seedName: seed.name, chunk: rng.pick([1, 7, 512, 4096, 65536, 1 << 20]), viaFile: rng.next() < 0.3 };
}

const plan = planReview({ gate: gateConfigFrom({}, {}), today: '2026-01-01' });

export async function runCase(spec: CaseSpec): Promise<Outcome> {
  const name = `fuzz-${spec.seed}-${spec.caseNo}.tar`;
  let c;
  try {
    c = await caseArchive(spec);
  } catch (err) {
    return { kind: 'finding', message: `the harness could not build the case: ${(err as Error).stack ?? String(err)}` };
  }
  try {
    let image;
    if (c.viaFile) {
      writeFileSync(spec.scratchFile, c.archive);
      const source = await openArchiveFile(spec.scratchFile);
      image = await loadImage(source.chunks, name, { defaultPlatform: 'linux/amd64', filePath: spec.scratchFile });
    } else {
      image = await loadImage(chunksOf(c.archive, c.chunk), name, { defaultPlatform: 'linux/amd64' });
    }
    const r = review(image, plan);
    JSON.stringify(jsonReport(image, r.analysis));
    return { kind: 'ok' };
  } catch (err) {
    if (err instanceof InputError || err instanceof ConfigError) {
      if (err.message.includes('\n')) return { kind: 'finding', message: `an error of more than one line: ${JSON.stringify(err.message)}` };
      if (!err.message.startsWith(name)) return { kind: 'finding', message: `an error that does not name the archive: ${err.message}` };
      return { kind: 'input-error', message: err.message };
    }
    return { kind: 'finding', message: (err as Error)?.stack ?? String(err) };
  }
}
