import type { Column } from './columns.js';
import { DIR, WHITEOUT, type LayerEntries } from './layerEntries.js';
import type { PathTable } from './pathTable.js';
import type { FileEntry, LayerEntry } from './types.js';

/**
 * Every entry of every layer of one image, after stacking. An entry has an image-wide id: layer k's entries are
 * `starts[k] .. starts[k] + count - 1`. Per path, `first`/`next` give its history in layer order and `visibleId`
 * the entry the final filesystem shows.
 */
export class ImageFiles {
  constructor(
    readonly paths: PathTable,
    readonly layers: readonly LayerEntries[],
    readonly starts: readonly number[],
    private readonly heads: Int32Array,
    private readonly chain: Column<Int32Array>,
    private readonly tops: Int32Array,
  ) {}

  get count(): number {
    return this.chain.size;
  }

  layerOf(id: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= id) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** Read one column of entry `id` in its own layer's table. */
  private read(id: number, column: (t: LayerEntries) => { get(i: number): number }): number {
    const k = this.layerOf(id);
    return column(this.layers[k]!).get(id - this.starts[k]!);
  }

  /** Content size of an entry; for a whiteout, the size dive charges for what it deleted. */
  size(id: number): number {
    return this.read(id, (t) => t.size);
  }

  pathOf(id: number): number {
    return this.read(id, (t) => t.path);
  }

  isWhiteout(id: number): boolean {
    return this.kind(id) === WHITEOUT;
  }

  kind(id: number): number {
    return this.read(id, (t) => t.kind);
  }

  /** The layer that hid the entry, or -1 while it is visible. */
  hiddenBy(id: number): number {
    return this.read(id, (t) => t.hiddenBy);
  }

  /** Same metadata and content (dive's test for "modified"). */
  sameContent(a: number, b: number): boolean {
    const ka = this.layerOf(a);
    const kb = this.layerOf(b);
    return this.layers[ka]!.sameContent(a - this.starts[ka]!, this.layers[kb]!, b - this.starts[kb]!);
  }

  /** The entry with image-wide id `id`, as an object. */
  entry(id: number): LayerEntry {
    const k = this.layerOf(id);
    return this.layers[k]!.entry(id - this.starts[k]!, k);
  }

  /** The path's first entry in layer order, or -1. */
  first(pathId: number): number {
    return pathId < this.heads.length ? this.heads[pathId]! : -1;
  }

  /** The next entry for the same path, or -1. */
  next(id: number): number {
    return this.chain.get(id);
  }

  /** Every entry and whiteout of a path, in layer order. */
  history(pathId: number): LayerEntry[] {
    const out: LayerEntry[] = [];
    for (let id = this.first(pathId); id >= 0; id = this.chain.get(id)) out.push(this.entry(id));
    return out;
  }

  /** The id of the entry the final filesystem shows at this path, or -1. */
  visibleId(pathId: number): number {
    return pathId >= 0 && pathId < this.tops.length ? this.tops[pathId]! : -1;
  }

  visible(pathId: number): FileEntry | undefined {
    const id = this.visibleId(pathId);
    return id < 0 ? undefined : (this.entry(id) as FileEntry);
  }

  /** Whether the final filesystem shows a directory entry at this path. */
  isVisibleDir(pathId: number): boolean {
    const id = this.visibleId(pathId);
    return id >= 0 && this.kind(id) === DIR;
  }

  /** Ids of the paths that have a history in this image (ancestors named only implicitly are left out). */
  *pathIds(): IterableIterator<number> {
    for (let p = 1; p < this.heads.length; p++) if (this.heads[p]! >= 0) yield p;
  }

  /** Ids of the paths the final filesystem shows an entry at. */
  *visiblePathIds(): IterableIterator<number> {
    for (let p = 1; p < this.tops.length; p++) if (this.tops[p]! >= 0) yield p;
  }

  /** Per-path history as a map, for tests and tools that want the whole picture at once. */
  historyMap(): Map<string, LayerEntry[]> {
    const out = new Map<string, LayerEntry[]>();
    for (const p of this.pathIds()) out.set(this.paths.path(p), this.history(p));
    return out;
  }
}
