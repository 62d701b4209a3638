import type { HiddenHow, Image } from '../model/types.js';

/** Bytes a layer carries that the final filesystem does not show, and why. */
export interface HiddenBytes {
  readonly path: string;
  readonly size: number;
  /** The layer that wrote these bytes. */
  readonly writtenBy: number;
  /** The layer that overwrote, deleted or hid them. */
  readonly hiddenBy: number;
  readonly how: HiddenHow;
}

export interface Reclaimable {
  /** sizeBytes − the bytes visible in the final merged filesystem. */
  readonly reclaimableBytes: number;
  readonly visibleBytes: number;
  /** Every hidden entry with a size, largest first. */
  readonly hidden: readonly HiddenBytes[];
}

export function computeReclaimable(image: Image, sizeBytes: number): Reclaimable {
  let visibleBytes = 0;
  const hidden: HiddenBytes[] = [];
  for (const events of image.paths.values()) {
    for (const e of events) {
      if (e.type !== 'entry') continue;
      if (e.hiddenBy < 0) visibleBytes += e.size;
      else if (e.size > 0) hidden.push({ path: e.path, size: e.size, writtenBy: e.layer, hiddenBy: e.hiddenBy, how: e.hiddenHow ?? 'overwritten' });
    }
  }
  hidden.sort((a, b) => b.size - a.size || (a.path < b.path ? -1 : a.path > b.path ? 1 : a.writtenBy - b.writtenBy));
  return { reclaimableBytes: sizeBytes - visibleBytes, visibleBytes, hidden };
}
