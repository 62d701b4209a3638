import type { Image } from '../model/imageTypes.js';
import { computeEfficiency, type InefficientPath } from './efficiency.js';
import { computeReclaimable, type HiddenFiles } from './reclaimable.js';
import type { LazyList } from './lazyList.js';

/** The figures dive reports, plus fathom's reclaimable bytes and the "why" behind each wasted byte. */
export interface Analysis {
  readonly sizeBytes: number;
  /** Σ sizes of layers 1..N-1 (everything above the first layer). */
  readonly userSizeBytes: number;
  readonly efficiency: number;
  readonly wastedBytes: number;
  /** wastedBytes / userSizeBytes; 0 when there are no user bytes (dive prints NaN). */
  readonly userWastedPercent: number;
  readonly reclaimableBytes: number;
  readonly inefficient: LazyList<InefficientPath>;
  /** Every hidden entry with a size, largest first. */
  readonly hidden: HiddenFiles;
}

export function analyzeImage(image: Image): Analysis {
  const sizeBytes = image.layers.reduce((s, l) => s + l.size, 0);
  const userSizeBytes = image.layers.slice(1).reduce((s, l) => s + l.size, 0);
  const eff = computeEfficiency(image);
  const rec = computeReclaimable(image, sizeBytes);
  return {
    sizeBytes,
    userSizeBytes,
    efficiency: eff.score,
    wastedBytes: eff.wastedBytes,
    userWastedPercent: userSizeBytes === 0 ? 0 : eff.wastedBytes / userSizeBytes,
    reclaimableBytes: rec.reclaimableBytes,
    inefficient: eff.inefficient,
    hidden: rec.hidden,
  };
}
