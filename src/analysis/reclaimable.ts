import type { EntryId, LayerRow } from '../model/ids.js';
import { isFileKind } from '../model/kinds.js';
import type { FileEntry, HiddenHow } from '../model/entryTypes.js';
import type { Image } from '../model/imageTypes.js';
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
  for (const t of files.layers) {
    for (let row = 0 as LayerRow; row < t.count; row++) {
      if (!isFileKind(t.kind.get(row))) continue;
      if (t.hiddenBy.get(row) < 0) visibleBytes += t.size.get(row);
      else if (t.size.get(row) > 0) hiddenCount++;
    }
  }
  /** EntryIds of the hidden entries */
  const ids = new Float64Array(hiddenCount);
  let n = 0;
  files.layers.forEach((t, k) => {
    for (let row = 0 as LayerRow; row < t.count; row++) {
      if (isFileKind(t.kind.get(row)) && t.hiddenBy.get(row) >= 0 && t.size.get(row) > 0) ids[n++] = files.entryId(k, row);
    }
  });
  const id = (i: number) => ids[i]! as EntryId;
  const paths = files.paths;
  /** The order, sorted when the list is first read: the CI text and the gate never read it. */
  let order: Uint32Array | undefined;
  const sorted = (): Uint32Array => {
    if (order) return order;
    const sizes = ids.map((e) => files.size(e as EntryId));
    order = new Uint32Array(hiddenCount);
    for (let i = 0; i < order.length; i++) order[i] = i;
    // ids ascend with layer, so the last tie-break is the writing layer, then tar order
    return order.sort((a, b) => sizes[b]! - sizes[a]! || comparePaths(paths.path(files.pathOf(id(a))), paths.path(files.pathOf(id(b)))) || id(a) - id(b));
  };
  const hidden = new LazyList(hiddenCount, (i): HiddenBytes => {
    const e = files.entry(id(sorted()[i]!)) as FileEntry;
    return { path: e.path, size: e.size, writtenBy: e.layer, hiddenBy: e.hiddenBy, how: e.hiddenHow ?? 'overwritten' };
  });
  return { reclaimableBytes: sizeBytes - visibleBytes, visibleBytes, hidden };
}

function comparePaths(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
