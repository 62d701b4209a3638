import { int32Column } from './columns.js';
import { ImageFiles } from './imageFiles.js';
import { NO_ENTRY, type EntryId, type LayerRow, type PathId } from './ids.js';
import { isFileKind, Kind, type KindCode } from './kinds.js';
import { DELETED, DUPLICATE, OPAQUED, OVERWRITTEN, type LayerEntries } from './layerEntries.js';
import type { PathTable } from './pathTable.js';

/**
 * The merged filesystem while layers are stacked, as arrays indexed by path id: which entry each live path shows
 * (`top`, an image-wide EntryId, and `topLayer`, the layer it is in) and the live tree as doubly linked child lists, so a subtree is walked only when
 * it is removed and removing one is O(its size). It exists only during the stacking pass.
 */
class LiveTree {
  readonly top: Int32Array;
  private readonly topLayer: Int32Array;
  private readonly firstChild: Int32Array;
  private readonly lastChild: Int32Array;
  private readonly nextSibling: Int32Array;
  private readonly prevSibling: Int32Array;
  private readonly linked: Uint8Array;
  /** A child was ever linked under the path since it was last emptied (dive's "has a children map"). */
  private readonly hadChildren: Uint8Array;
  private readonly stack: number[] = [];

  constructor(
    private readonly paths: PathTable,
    private readonly layers: readonly LayerEntries[],
    /** the EntryId of each stacked layer's row 0 */
    private readonly starts: number[],
  ) {
    const n = paths.size;
    this.top = new Int32Array(n).fill(-1);
    this.topLayer = new Int32Array(n);
    this.firstChild = new Int32Array(n).fill(-1);
    this.lastChild = new Int32Array(n).fill(-1);
    this.nextSibling = new Int32Array(n).fill(-1);
    this.prevSibling = new Int32Array(n).fill(-1);
    this.linked = new Uint8Array(n);
    this.hadChildren = new Uint8Array(n);
    this.linked[0] = 1;
  }

  isLive(p: PathId): boolean {
    return this.linked[p] === 1;
  }

  hasChildMap(p: PathId): boolean {
    return this.hadChildren[p] === 1;
  }

  /** Whether nothing at all is at a live path: no entry and no child map (a whiteout of it finds nothing). */
  isEmpty(p: PathId): boolean {
    return this.top[p]! < 0 && this.hadChildren[p] === 0;
  }

  /** The row in its own layer of the entry shown at `p`. */
  private topRow(p: PathId): LayerRow {
    return (this.top[p]! - this.starts[this.topLayer[p]!]!) as LayerRow;
  }

  private topKind(p: PathId): KindCode {
    return this.layers[this.topLayer[p]!]!.kind.get(this.topRow(p));
  }

  isDir(p: PathId): boolean {
    return this.top[p]! >= 0 ? this.topKind(p) === Kind.dir : this.firstChild[p]! >= 0;
  }

  *children(p: PathId): IterableIterator<PathId> {
    for (let c = this.firstChild[p]!; c >= 0; c = this.nextSibling[c]!) yield c as PathId;
  }

  /** Σ sizes of the path and everything below it: what dive charges for the whiteout of a directory. */
  subtreeSize(p: PathId): number {
    let total = 0;
    const stack = this.stack;
    stack.push(p);
    while (stack.length > 0) {
      const n = stack.pop()!;
      if (this.top[n]! >= 0) total += this.layers[this.topLayer[n]!]!.size.get(this.topRow(n as PathId));
      for (let c = this.firstChild[n]!; c >= 0; c = this.nextSibling[c]!) stack.push(c);
    }
    return total;
  }

  /** Mark the entry shown at `p` hidden by `layer`, unless something already hid it. */
  private hideTop(p: PathId, layer: number, how: number): void {
    if (this.top[p]! < 0) return;
    const t = this.layers[this.topLayer[p]!]!;
    const row = this.topRow(p);
    if (t.hiddenBy.get(row) < 0) t.hide(row, layer, how);
  }

  /** Hide and unlink everything below `p` (and `p` itself when `includeSelf`): the subtree leaves the live tree. */
  removeSubtree(p: PathId, layer: number, how: number, includeSelf: boolean): void {
    const stack = this.stack;
    if (includeSelf) {
      this.unlinkFromParent(p);
      stack.push(p);
    } else {
      for (let c = this.firstChild[p]!; c >= 0; c = this.nextSibling[c]!) stack.push(c);
      this.firstChild[p] = -1;
      this.lastChild[p] = -1;
      this.hadChildren[p] = 0;
    }
    while (stack.length > 0) {
      const n = stack.pop()! as PathId;
      this.hideTop(n, layer, how);
      for (let c = this.firstChild[n]!; c >= 0; c = this.nextSibling[c]!) stack.push(c);
      // a path linked again later starts empty, as a new node would
      this.top[n] = -1;
      this.firstChild[n] = -1;
      this.lastChild[n] = -1;
      this.hadChildren[n] = 0;
      this.linked[n] = 0;
    }
  }

  private unlinkFromParent(p: PathId): void {
    const parent = this.paths.parent(p);
    const prev = this.prevSibling[p]!;
    const next = this.nextSibling[p]!;
    if (prev >= 0) this.nextSibling[prev] = next;
    else this.firstChild[parent] = next;
    if (next >= 0) this.prevSibling[next] = prev;
    else this.lastChild[parent] = prev;
    this.prevSibling[p] = -1;
    this.nextSibling[p] = -1;
  }

  /** Link the path and its ancestors into the live tree. */
  ensure(p: PathId): void {
    const stack = this.stack;
    for (let q = p; this.linked[q] === 0; q = this.paths.parent(q)) stack.push(q);
    while (stack.length > 0) {
      const q = stack.pop()! as PathId;
      const parent = this.paths.parent(q);
      this.hadChildren[parent] = 1;
      const last = this.lastChild[parent]!;
      if (last >= 0) this.nextSibling[last] = q;
      else this.firstChild[parent] = q;
      this.prevSibling[q] = last;
      this.nextSibling[q] = -1;
      this.lastChild[parent] = q;
      this.linked[q] = 1;
    }
  }

  /** Show entry `id` of layer `layer` at `p`; what showed there before is hidden. */
  place(p: PathId, id: EntryId, layer: number, kind: KindCode): void {
    if (this.top[p]! >= 0) this.hideTop(p, layer, this.topLayer[p] === layer ? DUPLICATE : OVERWRITTEN);
    if (kind !== Kind.dir && this.hadChildren[p] === 1) this.removeSubtree(p, layer, OVERWRITTEN, false);
    this.top[p] = id;
    this.topLayer[p] = layer;
  }
}

/**
 * Stack the layers with overlay semantics, in one pass, annotating the entry columns in place: which layer hid each
 * entry and how, what each whiteout deleted (dive's size), which whiteouts found nothing, and the whiteouts an
 * opaque directory implies (appended to that layer as synthetic entries). Cost is linear in entries.
 */
export function stackLayers(layers: readonly LayerEntries[], paths: PathTable, notes: string[]): ImageFiles {
  const starts: number[] = [];
  const live = new LiveTree(paths, layers, starts);
  const heads = new Int32Array(paths.size).fill(-1);
  const tails = new Int32Array(paths.size).fill(-1);
  const chain = int32Column<EntryId, EntryId>();
  /** path id → k+1 when layer k adds something at or below it */
  const present = new Int32Array(paths.size);
  const record = (p: PathId, id: EntryId) => {
    if (heads[p]! < 0) heads[p] = id;
    else chain.set(tails[p]! as EntryId, id);
    tails[p] = id;
  };
  let missingWhiteouts = 0;

  layers.forEach((t, k) => {
    const start = chain.size;
    starts.push(start);
    const id = (row: LayerRow) => (start + row) as EntryId;
    const n = t.count;
    for (let row = 0; row < n; row++) chain.push(NO_ENTRY);
    const opaques: LayerRow[] = [];
    const whiteouts: LayerRow[] = [];
    for (let row = 0 as LayerRow; row < n; row++) {
      const kind = t.kind.get(row);
      if (kind === Kind.opaque) opaques.push(row);
      else if (kind === Kind.whiteout) whiteouts.push(row);
    }
    // what this layer re-adds only matters below an opaque directory
    const stamp = k + 1;
    if (opaques.length > 0) {
      for (let row = 0 as LayerRow; row < n; row++) {
        if (!isFileKind(t.kind.get(row))) continue;
        for (let p = t.path.get(row); p > 0 && present[p] !== stamp; p = paths.parent(p)) present[p] = stamp;
      }
    }

    // sizes are taken against the stack below this layer, before any of its changes
    /** pairs: the path an implied whiteout deletes, and dive's size for it */
    const synthetic: number[] = [];
    for (const o of opaques) {
      const dir = t.path.get(o);
      if (!live.isLive(dir) || !live.hasChildMap(dir)) continue;
      for (const c of live.children(dir)) {
        if (present[c] === stamp) continue;
        synthetic.push(c, live.isDir(c) ? live.subtreeSize(c) : 0);
      }
    }
    for (const w of whiteouts) {
      const p = t.path.get(w);
      if (!live.isLive(p) || live.isEmpty(p)) {
        t.setMissing(w);
        missingWhiteouts++;
        continue;
      }
      t.size.set(w, live.isDir(p) ? live.subtreeSize(p) : 0);
    }

    for (const o of opaques) {
      const dir = t.path.get(o);
      if (live.isLive(dir)) live.removeSubtree(dir, k, OPAQUED, false);
      record(dir, id(o));
    }
    for (const w of whiteouts) {
      const p = t.path.get(w);
      record(p, id(w));
      if (t.isMissing(w)) continue;
      // not live: already hidden by an opaque directory of this same layer
      if (live.isLive(p)) live.removeSubtree(p, k, DELETED, true);
    }
    for (let s = 0; s < synthetic.length; s += 2) {
      const p = synthetic[s]! as PathId;
      const row = t.addSyntheticWhiteout(p, synthetic[s + 1]!);
      chain.push(NO_ENTRY);
      record(p, id(row));
    }
    for (let row = 0 as LayerRow; row < n; row++) {
      const kind = t.kind.get(row);
      if (!isFileKind(kind)) continue;
      const p = t.path.get(row);
      record(p, id(row));
      live.ensure(p);
      live.place(p, id(row), k, kind);
    }
  });
  if (missingWhiteouts > 0) {
    notes.push(`${missingWhiteouts} whiteout(s) delete a path that no lower layer has; ignored (dive aborts on these)`);
  }
  return new ImageFiles(paths, layers, starts, heads, chain, live.top);
}
