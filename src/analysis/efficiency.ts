import type { Image, LayerEntry } from '../model/types.js';
import { parentOf } from '../layer/tarPath.js';

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
  /** Sorted by cumulative size, largest first, then by path. */
  readonly inefficient: readonly InefficientPath[];
}

/**
 * Paths that have a child in the layer's own tree. dive counts only the leaves of each layer's tree:
 * a directory with entries below it in the same layer is not an appearance. A whiteout `.wh.X` is a child of X's parent.
 */
function nonLeafPaths(entries: readonly LayerEntry[]): Set<string> {
  const out = new Set<string>();
  for (const e of entries) {
    if (e.type === 'opaque') continue;
    if (e.type === 'entry' && e.hiddenHow === 'duplicate' && e.hiddenBy === e.layer) continue;
    if (e.type === 'whiteout' && e.missing) continue;
    for (let p = parentOf(e.path); !out.has(p); p = parentOf(p)) {
      out.add(p);
      if (p === '/') break;
    }
  }
  return out;
}

function appearanceOf(e: LayerEntry, nonLeaf: readonly Set<string>[]): Appearance | undefined {
  if (e.type === 'opaque') return undefined;
  if (e.type === 'whiteout') return e.missing ? undefined : { layer: e.layer, size: e.deletedSize, kind: 'deleted' };
  if (e.hiddenHow === 'duplicate' && e.hiddenBy === e.layer) return undefined;
  if (nonLeaf[e.layer]!.has(e.path)) return undefined;
  return { layer: e.layer, size: e.size, kind: 'added' };
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
 * Largest first, and ties in the order dive prints them: dive collects a path when its second appearance is seen
 * (layer by layer, depth-first in name order), sorts ascending (stable for its list sizes) and reverses, so among
 * equal sizes the path that became inefficient last comes first.
 */
function diveOrder(a: InefficientPath, b: InefficientPath): number {
  return (
    b.cumulativeSize - a.cumulativeSize ||
    b.appearances[1]!.layer - a.appearances[1]!.layer ||
    comparePathComponents(b.path, a.path)
  );
}

/** dive's efficiency and waste, exactly as DESIGN.md defines them (see the "Metrics" section there). */
export function computeEfficiency(image: Image): Efficiency {
  const nonLeaf = image.layers.map((l) => nonLeafPaths(l.entries));
  let minSum = 0;
  let cumSum = 0;
  let wastedBytes = 0;
  const inefficient: InefficientPath[] = [];
  for (const [path, events] of image.paths) {
    let cum = 0;
    let min = Infinity;
    const appearances: Appearance[] = [];
    for (const e of events) {
      const a = appearanceOf(e, nonLeaf);
      if (!a) continue;
      appearances.push(a);
      cum += a.size;
      if (a.size < min) min = a.size;
    }
    if (appearances.length === 0) continue;
    minSum += min;
    cumSum += cum;
    if (appearances.length >= 2) {
      wastedBytes += cum;
      inefficient.push({ path, count: appearances.length, cumulativeSize: cum, appearances });
    }
  }
  inefficient.sort(diveOrder);
  return { score: cumSum === 0 ? 1 : minSum / cumSum, wastedBytes, inefficient };
}
