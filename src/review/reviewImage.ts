import { loadForReview, type ProgressFor, type ReviewArchive } from './loadForReview.js';
import type { Image } from '../model/imageTypes.js';
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

export interface LoadedImages {
  readonly image: Image;
  readonly baseImage?: Image;
}

/** The image, then its base if any: what a review reads (the browser opens on the image before the review). */
export async function loadImages(input: ReviewInput): Promise<LoadedImages> {
  const image = await loadForReview(input.image, input.progressFor);
  const baseImage = input.base ? await loadForReview(await input.base(), input.progressFor) : undefined;
  return { image, ...(baseImage ? { baseImage } : {}) };
}

/** One image from an opened archive to its review: load, then load the base if any, then review. */
export async function reviewImage(input: ReviewInput, plan: ReviewPlan): Promise<Review> {
  const { image, baseImage } = await loadImages(input);
  return review(image, plan, baseImage);
}
