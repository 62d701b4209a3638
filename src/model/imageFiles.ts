import type { Column } from './columns.js';
import type { FileEntry, LayerEntry } from './entryTypes.js';
import { NO_ENTRY, type EntryId, type LayerRow, type PathId } from './ids.js';
import { Kind, type KindCode } from './kinds.js';
import type { LayerEntries } from './layerEntries.js';
import type { PathTable } from './pathTable.js';

/**
 * Every entry of every layer of one image, after stacking. An entry's image-wide id (EntryId) numbers layer 0's
 * rows first, then layer 1's, and so on; `entryId(layer, row)` and `layerOf(id)` convert. Per path, `first`/`next`
 * give its history in layer order and `visibleId` the entry the final filesystem shows.
 */
export class ImageFiles {
  constructor(
    readonly paths: PathTable,
    readonly layers: readonly LayerEntries[],
    /** the id of each layer's row 0 */
    private readonly starts: readonly number[],
    private readonly heads: Int32Array,
    private readonly chain: Column<Int32Array, EntryId, EntryId>,
    private readonly tops: Int32Array,
  ) {}

  get count(): number {
    return this.chain.size;
  }

  /** The image-wide id of row `row` of layer `layer`. */
  entryId(layer: number, row: LayerRow): EntryId {
    return (this.starts[layer]! + row) as EntryId;
  }

  layerOf(id: EntryId): number {
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
  private read<V extends number>(id: EntryId, column: (t: LayerEntries) => { get(row: LayerRow): V }): V {
    const k = this.layerOf(id);
    return column(this.layers[k]!).get((id - this.starts[k]!) as LayerRow);
  }

  /** Content size of an entry; for a whiteout, the size dive charges for what it deleted. */
  size(id: EntryId): number {
    return this.read(id, (t) => t.size);
  }

  pathOf(id: EntryId): PathId {
    return this.read(id, (t) => t.path);
  }

  isWhiteout(id: EntryId): boolean {
    return this.kind(id) === Kind.whiteout;
  }

  kind(id: EntryId): KindCode {
    return this.read(id, (t) => t.kind);
  }

  /** The layer that hid the entry, or -1 while it is visible. */
  hiddenBy(id: EntryId): number {
    return this.read(id, (t) => t.hiddenBy);
  }

  mode(id: EntryId): number {
    return this.read(id, (t) => t.mode);
  }

  uid(id: EntryId): number {
    const k = this.layerOf(id);
    return this.layers[k]!.uidOf((id - this.starts[k]!) as LayerRow);
  }

  gid(id: EntryId): number {
    const k = this.layerOf(id);
    return this.layers[k]!.gidOf((id - this.starts[k]!) as LayerRow);
  }

  link(id: EntryId): string | undefined {
    const k = this.layerOf(id);
    return this.layers[k]!.linkOf((id - this.starts[k]!) as LayerRow);
  }

  /** xxh64 of a regular file's content, hex. */
  contentHash(id: EntryId): string | undefined {
    const k = this.layerOf(id);
    return this.layers[k]!.hashKey((id - this.starts[k]!) as LayerRow);
  }

  /** Whether entry `a` here and entry `b` of `other` are regular files with the same content hash. */
  sameHash(a: EntryId, other: ImageFiles, b: EntryId): boolean {
    const ka = this.layerOf(a);
    const kb = other.layerOf(b);
    return this.layers[ka]!.sameHash((a - this.starts[ka]!) as LayerRow, other.layers[kb]!, (b - other.starts[kb]!) as LayerRow);
  }

  /**
   * The entry that holds a hard link's content: its target as the same layer's tar wrote it (a link names an
   * earlier member of its own tar), else the target the final filesystem shows. Any other entry is its own.
   */
  contentOf(id: EntryId): EntryId {
    if (this.kind(id) !== Kind.hardlink) return id;
    const target = this.paths.lookup(this.link(id) ?? '');
    if (target < 0) return id;
    const layer = this.layerOf(id);
    for (let e = this.first(target); e >= 0; e = this.chain.get(e)) {
      if (this.layerOf(e) === layer && this.kind(e) === Kind.file) return e;
    }
    const top = this.visibleId(target);
    return top >= 0 && this.kind(top) === Kind.file ? top : id;
  }

  /** Same metadata and content (dive's test for "modified"). */
  sameContent(a: EntryId, b: EntryId): boolean {
    const ka = this.layerOf(a);
    const kb = this.layerOf(b);
    return this.layers[ka]!.sameContent((a - this.starts[ka]!) as LayerRow, this.layers[kb]!, (b - this.starts[kb]!) as LayerRow);
  }

  /** The entry with image-wide id `id`, as an object. */
  entry(id: EntryId): LayerEntry {
    const k = this.layerOf(id);
    return this.layers[k]!.entry((id - this.starts[k]!) as LayerRow, k);
  }

  /** The path's first entry in layer order, or -1. */
  first(pathId: PathId): EntryId {
    return pathId < this.heads.length ? (this.heads[pathId]! as EntryId) : NO_ENTRY;
  }

  /** The next entry for the same path, or -1. */
  next(id: EntryId): EntryId {
    return this.chain.get(id);
  }

  /** Every entry and whiteout of a path, in layer order. */
  history(pathId: PathId): LayerEntry[] {
    const out: LayerEntry[] = [];
    for (let id = this.first(pathId); id >= 0; id = this.chain.get(id)) out.push(this.entry(id));
    return out;
  }

  /** The id of the entry the final filesystem shows at this path, or -1. */
  visibleId(pathId: PathId): EntryId {
    return pathId >= 0 && pathId < this.tops.length ? (this.tops[pathId]! as EntryId) : NO_ENTRY;
  }

  visible(pathId: PathId): FileEntry | undefined {
    const id = this.visibleId(pathId);
    return id < 0 ? undefined : (this.entry(id) as FileEntry);
  }

  /** Whether the final filesystem shows a directory entry at this path. */
  isVisibleDir(pathId: PathId): boolean {
    const id = this.visibleId(pathId);
    return id >= 0 && this.kind(id) === Kind.dir;
  }

  /** Ids of the paths that have a history in this image (ancestors named only implicitly are left out). */
  *pathIds(): IterableIterator<PathId> {
    for (let p = 1 as PathId; p < this.heads.length; p++) if (this.heads[p]! >= 0) yield p;
  }

  /** Ids of the paths the final filesystem shows an entry at. */
  *visiblePathIds(): IterableIterator<PathId> {
    for (let p = 1 as PathId; p < this.tops.length; p++) if (this.tops[p]! >= 0) yield p;
  }
}
