import { loadForReview, type ProgressFor, type ReviewArchive } from './loadForReview.js';
import { review, type Review, type ReviewPlan } from './review.js';

export interface ReviewInput {
  readonly image: ReviewArchive;
  /**
   * The base image (--base), opened only once the image has been read: an engine's export stream is not left
   * waiting meanwhile.
   */
  readonly base?: () => Promise<ReviewArchive>;
  readonly progressFor?: ProgressFor;
}

/** One image from an opened archive to its review: load, then load the base if any, then review. */
export async function reviewImage(input: ReviewInput, plan: ReviewPlan): Promise<Review> {
  const image = await loadForReview(input.image, input.progressFor);
  const baseImage = input.base ? await loadForReview(await input.base(), input.progressFor) : undefined;
  return review(image, plan, baseImage);
}
