import type { HiddenFiles } from '../../analysis/reclaimable.js';
import type { PathId } from '../../model/ids.js';
import { Kind } from '../../model/kinds.js';
import type { HiddenHow } from '../../model/entryTypes.js';
import type { ImageFiles } from '../../model/imageFiles.js';
import type { Image } from '../../model/imageTypes.js';
import { CHANGE_ADDED, CHANGE_MODIFIED, CHANGE_REMOVED, CHANGE_SAME, NODE_DIR, NODE_FILE, NODE_SMALL, type TreeColumns, type TreeFacts } from './pageData.js';

export interface FileTreeOptions {
  /** A file keeps a node of its own when it holds at least 1/maxLeaves of the visible (or of the hidden) bytes. */
  readonly maxLeaves?: number;
  /** Above this many nodes, small directories are folded into their parent's aggregate too. */
  readonly maxNodes?: number;
  /** Paths that always keep their own node (findings and the largest hidden files link to them). */
  readonly keep?: Iterable<string>;
  /**
   * A diff: BASE's final filesystem, loaded into the same PathTable as the image, and CHANGE_* of the paths the
   * comparison listed. The tree becomes the union of both images' paths, with `baseSize` and `change` columns.
   */
  readonly base?: { readonly files: ImageFiles; readonly changes: ReadonlyMap<string, number> };
}

export interface NodeRef {
  readonly node: number;
  /** The node is the path itself, not an aggregate or ancestor standing in for it. */
  readonly exact: boolean;
}

export interface FileTree {
  readonly columns: TreeColumns;
  readonly facts: TreeFacts;
  /** Visible bytes per layer (what each layer still shows at the top). */
  readonly visibleByLayer: readonly number[];
  /** Bytes per layer that a later layer overwrote, deleted or hid. */
  readonly hiddenByLayer: readonly number[];
  nodeOf(path: string): NodeRef;
}

const HOW_CODE: Record<HiddenHow, number> = { overwritten: 1, deleted: 2, opaque: 3, duplicate: 4 };

/**
 * The final filesystem plus every hidden byte, by path, as the page's tree: one node per directory that holds
 * bytes (visible or hidden) and per file big enough to see at the top level; the smaller files of a directory
 * become one "N small files" node with their totals, so every directory's figures stay exact.
 */
export function buildFileTree(image: Image, hidden: HiddenFiles, opts: FileTreeOptions = {}): FileTree {
  const files = image.files;
  const paths = files.paths;
  const n = paths.size;
  const parent = new Int32Array(n);
  for (let p = 0; p < n; p++) parent[p] = paths.parent(p as PathId);

  // own figures of each path
  const own = new Float64Array(n);
  const ownLayer = new Int32Array(n).fill(-1);
  const visibleKind = new Uint8Array(n); // 0 absent, 1 dir, 2 regular file, 3 anything else
  const ownFiles = new Uint32Array(n);
  const visibleByLayer = new Array<number>(image.layers.length).fill(0);
  for (const p of files.visiblePathIds()) {
    const id = files.visibleId(p);
    const kind = files.kind(id);
    if (kind === Kind.dir) visibleKind[p] = 1;
    else if (kind === Kind.file) {
      visibleKind[p] = 2;
      ownFiles[p] = 1;
      own[p] = files.size(id);
      ownLayer[p] = files.layerOf(id);
      visibleByLayer[ownLayer[p]!]! += own[p]!;
    } else visibleKind[p] = 3;
  }
  const diff = opts.base ? baseColumns(opts.base, n, parent) : undefined;
  const ownHidden = new Float64Array(n);
  const ownHiddenCount = new Uint32Array(n);
  const hiddenFromOf = new Int32Array(n).fill(-1);
  const hiddenByOf = new Int32Array(n).fill(-1);
  const howOf = new Uint8Array(n);
  const largestHidden = new Float64Array(n);
  const hiddenByLayer = new Array<number>(image.layers.length).fill(0);
  for (const h of hidden) {
    hiddenByLayer[h.writtenBy]! += h.size;
    const p = paths.lookup(h.path);
    if (p < 0) continue;
    ownHidden[p]! += h.size;
    ownHiddenCount[p]!++;
    if (h.size > largestHidden[p]!) {
      largestHidden[p] = h.size;
      hiddenFromOf[p] = h.writtenBy;
      hiddenByOf[p] = h.hiddenBy;
      howOf[p] = HOW_CODE[h.how];
    }
  }

  // subtree figures (a parent's id is always smaller than its children's)
  const size = own.slice();
  const hid = ownHidden.slice();
  const nFiles = ownFiles.slice();
  const nHidden = ownHiddenCount.slice();
  for (let p = n - 1; p > 0; p--) {
    const q = parent[p]!;
    size[q]! += size[p]!;
    hid[q]! += hid[p]!;
    nFiles[q]! += nFiles[p]!;
    nHidden[q]! += nHidden[p]!;
  }
  const layer = dominant(parent, ownLayer, own, size);
  const hiddenFrom = dominant(parent, hiddenFromOf, ownHidden, hid);
  const hiddenBy = dominant(parent, hiddenByOf, ownHidden, hid);

  // the paths with bytes, and their children largest first
  const chosen = new Uint8Array(n);
  chosen[0] = 1;
  const baseSub = diff?.baseSize;
  for (let p = 1; p < n; p++) if (size[p]! > 0 || hid[p]! > 0 || (baseSub !== undefined && baseSub[p]! > 0)) chosen[p] = 1;
  const childStart = new Int32Array(n + 1);
  for (let p = 1; p < n; p++) if (chosen[p]) childStart[parent[p]! + 1]!++;
  for (let p = 0; p < n; p++) childStart[p + 1]! += childStart[p]!;
  const fill = childStart.slice(0, n);
  const childList = new Int32Array(childStart[n]!);
  for (let p = 1; p < n; p++) if (chosen[p]) childList[fill[parent[p]!]!++] = p;
  const weight = (p: number) => size[p]! + hid[p]! + (baseSub !== undefined && size[p] === 0 ? baseSub[p]! : 0);
  for (let p = 0; p < n; p++) {
    const a = childStart[p]!;
    const b = childStart[p + 1]!;
    if (b - a > 1) childList.subarray(a, b).sort((x, y) => weight(y) - weight(x) || x - y);
  }
  const isLeaf = (p: number) => childStart[p] === childStart[p + 1];

  const keep = new Uint8Array(n); // 1: the path itself, 2: a kept path lies below
  for (const path of opts.keep ?? []) {
    let p: number = paths.lookup(path);
    if (p < 0 || !chosen[p]) continue;
    keep[p] = 1;
    for (p = parent[p]!; p >= 0 && keep[p] === 0; p = parent[p]!) keep[p] = 2;
  }

  const maxLeaves = opts.maxLeaves ?? 20_000;
  const maxNodes = opts.maxNodes ?? 60_000;
  const sizeThreshold = Math.max(1, size[0]! / maxLeaves);
  const hiddenThreshold = Math.max(1, hid[0]! / maxLeaves);
  const small = (p: number, f: number) =>
    keep[p] === 0 && size[p]! < sizeThreshold * f && hid[p]! < hiddenThreshold * f && (baseSub === undefined || baseSub[p]! < sizeThreshold * f);

  /** Emit the tree in pre-order; directories smaller than `fold` times the thresholds are folded (0: none). */
  const emit = (fold: number) => {
    const cols = { name: [] as string[], kids: [] as number[], kind: [] as number[], size: [] as number[], layer: [] as number[], files: [] as number[], hidden: [] as number[], hiddenFiles: [] as number[], hiddenFrom: [] as number[], hiddenBy: [] as number[], how: [] as number[], ...(diff ? { baseSize: [] as number[], change: [] as number[] } : {}) };
    const pathNode = new Int32Array(n).fill(-1);
    const aggregates: number[][] = [];
    let folded = 0;
    const stack: number[] = [0];
    while (stack.length > 0) {
      const item = stack.pop()!;
      const node = cols.name.length;
      if (item < 0) {
        const members = aggregates[-item - 1]!;
        const agg = aggregateOf(members);
        for (const m of members) pathNode[m] = node;
        cols.name.push('');
        cols.kids.push(0);
        cols.kind.push(NODE_SMALL);
        cols.size.push(agg.size);
        cols.layer.push(agg.layer);
        cols.files.push(agg.files);
        cols.hidden.push(agg.hidden);
        cols.hiddenFiles.push(agg.hiddenFiles);
        cols.hiddenFrom.push(agg.hiddenFrom);
        cols.hiddenBy.push(agg.hiddenBy);
        cols.how.push(agg.how);
        if (diff) {
          cols.baseSize!.push(agg.baseSize);
          cols.change!.push(agg.change);
        }
        continue;
      }
      const p = item;
      pathNode[p] = node;
      const own: number[] = [];
      const merged: number[] = [];
      for (let i = childStart[p]!; i < childStart[p + 1]!; i++) {
        const c = childList[i]!;
        if (isLeaf(c) ? small(c, 1) : fold > 0 && small(c, fold)) merged.push(c);
        else own.push(c);
      }
      if (merged.length === 1 && isLeaf(merged[0]!)) own.push(merged.pop()!);
      folded += merged.filter((c) => !isLeaf(c)).length;
      const path = paths.path(p as PathId);
      cols.name.push(p === 0 ? '' : path.slice(path.lastIndexOf('/') + 1));
      cols.kids.push(own.length + (merged.length > 0 ? 1 : 0));
      cols.kind.push(!isLeaf(p) || visibleKind[p] === 1 ? NODE_DIR : NODE_FILE);
      cols.size.push(size[p]!);
      cols.layer.push(layer[p]!);
      cols.files.push(nFiles[p]!);
      cols.hidden.push(hid[p]!);
      cols.hiddenFiles.push(nHidden[p]!);
      cols.hiddenFrom.push(hiddenFrom[p]!);
      cols.hiddenBy.push(hiddenBy[p]!);
      cols.how.push(isLeaf(p) ? howOf[p]! : 0);
      if (diff) {
        cols.baseSize!.push(diff.baseSize[p]!);
        cols.change!.push(diff.change[p]!);
      }
      if (merged.length > 0) {
        aggregates.push(merged);
        stack.push(-aggregates.length);
      }
      for (let i = own.length - 1; i >= 0; i--) stack.push(own[i]!);
    }
    return { cols, pathNode, folded };
  };

  const aggregateOf = (members: readonly number[]) => {
    const byLayer = new Map<number, number>();
    const byHider = new Map<number, number>();
    const byWriter = new Map<number, number>();
    const add = (m: Map<number, number>, k: number, w: number) => {
      if (k >= 0 && w > 0) m.set(k, (m.get(k) ?? 0) + w);
    };
    let s = 0;
    let h = 0;
    let f = 0;
    let hf = 0;
    let how = 0;
    let biggest = 0;
    let baseTotal = 0;
    let change = CHANGE_SAME;
    let changeWeight = -1;
    for (const m of members) {
      if (diff) {
        baseTotal += diff.baseSize[m]!;
        const w = size[m]! || diff.baseSize[m]!;
        if (w > changeWeight) [change, changeWeight] = [diff.change[m]!, w];
      }
      s += size[m]!;
      h += hid[m]!;
      f += nFiles[m]!;
      hf += nHidden[m]!;
      add(byLayer, layer[m]!, size[m]!);
      add(byHider, hiddenBy[m]!, hid[m]!);
      add(byWriter, hiddenFrom[m]!, hid[m]!);
      if (largestHidden[m]! > biggest) {
        biggest = largestHidden[m]!;
        how = howOf[m]!;
      }
    }
    return { size: s, hidden: h, files: f, hiddenFiles: hf, layer: argmax(byLayer), hiddenBy: argmax(byHider), hiddenFrom: argmax(byWriter), how, baseSize: baseTotal, change };
  };

  let out = emit(0);
  for (let fold = 1; out.cols.name.length > maxNodes && fold < 1e9; fold *= 4) out = emit(fold);
  const { cols, pathNode, folded } = out;
  return {
    columns: cols,
    facts: { nodes: cols.name.length, sizeThreshold, hiddenThreshold, foldedDirs: folded },
    visibleByLayer,
    hiddenByLayer,
    nodeOf(path: string): NodeRef {
      const p = paths.lookup(path);
      if (p < 0) return { node: -1, exact: false };
      for (let q: number = p; q >= 0; q = parent[q]!) {
        const node = pathNode[q]!;
        if (node >= 0) return { node, exact: q === p && cols.kind[node] !== NODE_SMALL };
      }
      return { node: 0, exact: false };
    },
  };
}

/**
 * BASE's visible bytes per subtree, and each path's change: a listed change marks its path, the paths below an
 * added or removed one share its mark, and a directory with any change below it is MODIFIED.
 */
function baseColumns(base: NonNullable<FileTreeOptions['base']>, n: number, parent: Int32Array): { baseSize: Float64Array; change: Uint8Array } {
  const files = base.files;
  const baseSize = new Float64Array(n);
  for (const p of files.visiblePathIds()) {
    if (p >= n) continue;
    const id = files.visibleId(p);
    if (files.kind(id) === Kind.file) baseSize[p] = files.size(id);
  }
  const change = new Uint8Array(n);
  for (const [path, code] of base.changes) {
    const p = files.paths.lookup(path);
    if (p >= 0 && p < n) change[p] = code;
  }
  for (let p = 1; p < n; p++) {
    const up = change[parent[p]!]!;
    if (change[p] === CHANGE_SAME && (up === CHANGE_ADDED || up === CHANGE_REMOVED)) change[p] = up;
  }
  for (let p = n - 1; p > 0; p--) {
    const q = parent[p]!;
    baseSize[q]! += baseSize[p]!;
    if (change[p] !== CHANGE_SAME && change[q] === CHANGE_SAME && q > 0) change[q] = CHANGE_MODIFIED;
  }
  return { baseSize, change };
}

/**
 * Bottom-up "who wrote most of it": a path's own key with its own weight, plus each child's winner with the child's
 * whole weight; the heaviest key wins (ties: the lower key). Linear, unlike exact per-layer sums per directory.
 */
function dominant(parent: Int32Array, ownKey: Int32Array, ownWeight: Float64Array, subtree: Float64Array): Int32Array {
  const out = new Int32Array(parent.length).fill(-1);
  const pending = new Map<number, Map<number, number>>();
  for (let p = parent.length - 1; p >= 0; p--) {
    const acc = pending.get(p);
    if (acc) {
      pending.delete(p);
      if (ownKey[p]! >= 0 && ownWeight[p]! > 0) acc.set(ownKey[p]!, (acc.get(ownKey[p]!) ?? 0) + ownWeight[p]!);
      out[p] = argmax(acc);
    } else if (ownWeight[p]! > 0) out[p] = ownKey[p]!;
    const q = parent[p]!;
    if (q < 0 || out[p]! < 0 || subtree[p]! <= 0) continue;
    let up = pending.get(q);
    if (!up) pending.set(q, (up = new Map()));
    up.set(out[p]!, (up.get(out[p]!) ?? 0) + subtree[p]!);
  }
  return out;
}

function argmax(m: ReadonlyMap<number, number>): number {
  let best = -1;
  let bestW = -1;
  for (const [k, w] of m) if (w > bestW || (w === bestW && k < best)) [best, bestW] = [k, w];
  return best;
}
