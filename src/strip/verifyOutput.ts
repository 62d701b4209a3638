import { START_RULES } from '../diff/startRegression.js';
import { loadForReview } from '../review/loadForReview.js';
import { review, type Review, type ReviewPlan } from '../review/review.js';
import { openArchiveFile } from '../source/openArchive.js';

/**
 * strip's own proof, statically: the written archive read back through the review pipeline (every digest and
 * diff_id checked by the reader) and the rules that say whether an image starts — entrypoint-runnable,
 * shell-form-on-scratch, user-not-found — run on it. Each one the original passed and the stripped image fails is a
 * reason not to write it (the plan missed something the runtime needs: `--no-nss` with a named User, say).
 */
export async function startRegressions(archive: string, original: Review, plan: ReviewPlan): Promise<string[]> {
  const c = original.image.config;
  const platform = [c.os, c.architecture, ...(c.variant ? [c.variant] : [])].join('/');
  const image = await loadForReview({ source: await openArchiveFile(archive), select: { defaultPlatform: platform } });
  const stripped = review(image, plan);
  const out: string[] = [];
  for (const id of START_RULES) {
    if ((original.findings.get(id)?.length ?? 0) > 0) continue;
    const found = stripped.findings.get(id) ?? [];
    if (found.length > 0) out.push(`the stripped image fails ${id}, which the original passes: ${found[0]!.message}`);
  }
  return out;
}
