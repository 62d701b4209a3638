import type { LayerRow, PathId } from '../model/ids.js';
import { Kind } from '../model/kinds.js';
import { DUPLICATE } from '../model/layerEntries.js';
import type { Image } from '../model/imageTypes.js';
import { goSort } from './goSort.js';
import { LazyList } from './lazyList.js';

/** One appearance of a path in a layer, as dive counts it. */
export interface Appearance {
  readonly layer: number;
  readonly size: number;
  readonly kind: 'added' | 'deleted';
}

/** A path with two or more appearances: dive's "inefficient file". */
export interface InefficientPath {
  readonly path: string;
  readonly count: number;
  /** Σ of its appearances: dive's "Wasted Space" for the path. */
  readonly cumulativeSize: number;
  readonly appearances: readonly Appearance[];
}

export interface Efficiency {
  /** Σ_P min(P) / Σ_P cumulative(P); 1 when nothing was counted. */
  readonly score: number;
  readonly wastedBytes: number;
  /** Sorted as dive prints them: by cumulative size, largest first, then see `computeEfficiency`. */
  readonly inefficient: LazyList<InefficientPath>;
}

/** Order paths component by component (`/a/b` before `/a-b`), as a walk of a tree in name order visits them. */
function comparePathComponents(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    if (x === 0x2f) return -1;
    if (y === 0x2f) return 1;
    return x - y;
  }
  return a.length - b.length;
}

/**
 * dive's efficiency and waste, exactly as DESIGN.md defines them (see the "Metrics" section there), over the entry
 * columns. dive counts only the leaves of each layer's own tree: a directory with entries below it in the same layer
 * is not an appearance (a whiteout `.wh.X` is a child of X's parent, and always an appearance itself).
 */
export function computeEfficiency(image: Image): Efficiency {
  const files = image.files;
  const paths = files.paths;
  const n = paths.size;
  /** k+1 when the path has a child in layer k's tree */
  const nonLeaf = new Int32Array(n);
  const cum = new Float64Array(n);
  const min = new Float64Array(n).fill(Infinity);
  const count = new Int32Array(n);
  const appears = new Uint8Array(files.count);
  files.layers.forEach((t, k) => {
    const stamp = k + 1;
    const counted = (row: LayerRow): boolean => {
      const kind = t.kind.get(row);
      if (kind === Kind.opaque) return false;
      if (kind === Kind.whiteout) return !t.isMissing(row);
      return !(t.how(row) === DUPLICATE && t.hiddenBy.get(row) === k);
    };
    for (let row = 0 as LayerRow; row < t.count; row++) {
      if (!counted(row)) continue;
      for (let p = paths.parent(t.path.get(row)); p >= 0 && nonLeaf[p] !== stamp; p = paths.parent(p)) nonLeaf[p] = stamp;
    }
    for (let row = 0 as LayerRow; row < t.count; row++) {
      if (!counted(row)) continue;
      const p = t.path.get(row);
      if (t.kind.get(row) !== Kind.whiteout && nonLeaf[p] === stamp) continue;
      const size = t.size.get(row);
      appears[files.entryId(k, row)] = 1;
      cum[p] += size;
      if (size < min[p]!) min[p] = size;
      count[p]++;
    }
  });
  let minSum = 0;
  let cumSum = 0;
  let wastedBytes = 0;
  let many = 0;
  for (let p = 0; p < n; p++) {
    if (count[p] === 0) continue;
    minSum += min[p]!;
    cumSum += cum[p]!;
    if (count[p]! < 2) continue;
    wastedBytes += cum[p]!;
    many++;
  }
  /** path ids of the inefficient paths, and per path the layer of its second appearance */
  const ids = new Int32Array(many);
  const second = new Int32Array(n);
  many = 0;
  for (let p = 0 as PathId; p < n; p++) {
    if (count[p]! < 2) continue;
    ids[many++] = p;
    let seen = 0;
    for (let id = files.first(p); id >= 0; id = files.next(id)) {
      if (appears[id] && ++seen === 2) {
        second[p] = files.layerOf(id);
        break;
      }
    }
  }
  /*
   * Largest first, and ties in the order dive prints them: dive collects a path when its second appearance is seen
   * (layer by layer, depth-first in name order), sorts that list ascending by size with Go's sort.Sort (not
   * stable, but deterministic: goSort is the same algorithm) and prints it reversed.
   */
  ids.sort((a, b) => second[a]! - second[b]! || comparePathComponents(paths.path(a as PathId), paths.path(b as PathId)));
  goSort(ids, (a, b) => cum[a]! < cum[b]!);
  ids.reverse();
  const inefficient = new LazyList(many, (i): InefficientPath => {
    const p = ids[i]! as PathId;
    const appearances: Appearance[] = [];
    for (let id = files.first(p); id >= 0; id = files.next(id)) {
      if (appears[id]) appearances.push({ layer: files.layerOf(id), size: files.size(id), kind: files.isWhiteout(id) ? 'deleted' : 'added' });
    }
    return { path: paths.path(p), count: count[p]!, cumulativeSize: cum[p]!, appearances };
  });
  return { score: cumSum === 0 ? 1 : minSum / cumSum, wastedBytes, inefficient };
}
