import { OPAQUE, WHITEOUT } from '../model/layerEntries.js';
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

/**
 * Every hidden entry with a size, largest first (then by path and writing layer). Held as columns and made into
 * objects on access: an image that deletes 50,000 files would otherwise carry 50,000 more objects.
 */
export class HiddenFiles implements Iterable<HiddenBytes> {
  constructor(
    private readonly image: Image,
    private readonly order: Uint32Array,
    private readonly ids: Float64Array,
  ) {}

  get length(): number {
    return this.order.length;
  }

  at(i: number): HiddenBytes | undefined {
    if (i < 0 || i >= this.order.length) return undefined;
    const e = this.image.files.entry(this.ids[this.order[i]!]!);
    if (e.type !== 'entry') throw new Error('a hidden entry is always a file entry');
    return { path: e.path, size: e.size, writtenBy: e.layer, hiddenBy: e.hiddenBy, how: e.hiddenHow ?? 'overwritten' };
  }

  slice(start = 0, end = this.length): HiddenBytes[] {
    const out: HiddenBytes[] = [];
    for (let i = Math.max(0, start); i < Math.min(end, this.length); i++) out.push(this.at(i)!);
    return out;
  }

  *[Symbol.iterator](): Iterator<HiddenBytes> {
    for (let i = 0; i < this.length; i++) yield this.at(i)!;
  }
}

export interface Reclaimable {
  /** sizeBytes − the bytes visible in the final merged filesystem. */
  readonly reclaimableBytes: number;
  readonly visibleBytes: number;
  readonly hidden: HiddenFiles;
}

export function computeReclaimable(image: Image, sizeBytes: number): Reclaimable {
  const files = image.files;
  let visibleBytes = 0;
  const ids: number[] = [];
  const sizes: number[] = [];
  const pathIds: number[] = [];
  const layers: number[] = [];
  files.layers.forEach((t, k) => {
    const start = files.starts[k]!;
    for (let i = 0; i < t.count; i++) {
      const kind = t.kind.get(i);
      if (kind === WHITEOUT || kind === OPAQUE) continue;
      const size = t.size.get(i);
      if (t.hiddenBy.get(i) < 0) visibleBytes += size;
      else if (size > 0) {
        ids.push(start + i);
        sizes.push(size);
        pathIds.push(t.path.get(i));
        layers.push(k);
      }
    }
  });
  const paths = files.paths;
  const order = new Uint32Array(ids.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  order.sort((a, b) => {
    const d = sizes[b]! - sizes[a]!;
    if (d !== 0) return d;
    if (pathIds[a] !== pathIds[b]) return paths.path(pathIds[a]!) < paths.path(pathIds[b]!) ? -1 : 1;
    return layers[a]! - layers[b]! || ids[a]! - ids[b]!;
  });
  return { reclaimableBytes: sizeBytes - visibleBytes, visibleBytes, hidden: new HiddenFiles(image, order, Float64Array.from(ids)) };
}
