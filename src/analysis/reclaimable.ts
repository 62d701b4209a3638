import { OPAQUE, WHITEOUT, type LayerEntries } from '../model/layerEntries.js';
import type { FileEntry, HiddenHow, Image } from '../model/types.js';
import { LazyList } from './lazyList.js';

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

/** Every hidden entry with a size, largest first (then by path and writing layer). */
export type HiddenFiles = LazyList<HiddenBytes>;

export interface Reclaimable {
  /** sizeBytes − the bytes visible in the final merged filesystem. */
  readonly reclaimableBytes: number;
  readonly visibleBytes: number;
  readonly hidden: HiddenFiles;
}

export function computeReclaimable(image: Image, sizeBytes: number): Reclaimable {
  const files = image.files;
  let visibleBytes = 0;
  let hiddenCount = 0;
  const isFile = (t: LayerEntries, i: number) => t.kind.get(i) !== WHITEOUT && t.kind.get(i) !== OPAQUE;
  for (const t of files.layers) {
    for (let i = 0; i < t.count; i++) {
      if (!isFile(t, i)) continue;
      if (t.hiddenBy.get(i) < 0) visibleBytes += t.size.get(i);
      else if (t.size.get(i) > 0) hiddenCount++;
    }
  }
  const ids = new Float64Array(hiddenCount);
  let n = 0;
  files.layers.forEach((t, k) => {
    const start = files.starts[k]!;
    for (let i = 0; i < t.count; i++) if (isFile(t, i) && t.hiddenBy.get(i) >= 0 && t.size.get(i) > 0) ids[n++] = start + i;
  });
  const paths = files.paths;
  const sizes = ids.map((id) => files.size(id));
  const order = new Uint32Array(hiddenCount);
  for (let i = 0; i < order.length; i++) order[i] = i;
  // ids ascend with layer, so the last tie-break is the writing layer, then tar order
  order.sort((a, b) => sizes[b]! - sizes[a]! || comparePaths(paths.path(files.pathOf(ids[a]!)), paths.path(files.pathOf(ids[b]!))) || ids[a]! - ids[b]!);
  const hidden = new LazyList(hiddenCount, (i): HiddenBytes => {
    const e = files.entry(ids[order[i]!]!) as FileEntry;
    return { path: e.path, size: e.size, writtenBy: e.layer, hiddenBy: e.hiddenBy, how: e.hiddenHow ?? 'overwritten' };
  });
  return { reclaimableBytes: sizeBytes - visibleBytes, visibleBytes, hidden };
}

function comparePaths(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
