import { PathTable } from '../model/pathTable.js';
import { loadForReview, type ProgressFor, type ReviewArchive } from '../review/loadForReview.js';
import { review, type Review, type ReviewPlan } from '../review/review.js';
import { diffReviews, type DiffOptions, type ImageDiff } from './imageDiff.js';

export interface DiffInput {
  readonly base: ReviewArchive;
  /** Opened once BASE has been read: an engine's export stream is not left waiting meanwhile. */
  readonly head: () => Promise<ReviewArchive>;
  readonly progressFor?: ProgressFor;
}

export interface DiffResult {
  readonly base: Review;
  readonly head: Review;
  readonly diff: ImageDiff;
}

/**
 * `fathom diff`: each side read once, streaming, into one shared PathTable (the same path has the same id in both
 * models, which makes the file comparison a walk over ids), each reviewed as `fathom IMAGE` would, then compared.
 * Nothing is written anywhere.
 */
export async function diffImages(input: DiffInput, plan: ReviewPlan, opts: DiffOptions = {}): Promise<DiffResult> {
  const paths = new PathTable();
  const baseImage = await loadForReview(input.base, input.progressFor, paths);
  const headImage = await loadForReview(await input.head(), input.progressFor, paths);
  const base = review(baseImage, plan);
  const head = review(headImage, plan);
  return { base, head, diff: diffReviews(base, head, plan, opts) };
}
