import { parentOf } from '../model/paths.js';
import type { FileChange } from './compareFiles.js';

/** What the changes below one directory add up to. */
export interface DirectoryTotal {
  readonly path: string;
  /** Σ (sizeHead − sizeBase) of every listed change below it. */
  readonly delta: number;
  readonly added: number;
  readonly removed: number;
  readonly changed: number;
}

interface Sum {
  delta: number;
  added: number;
  removed: number;
  changed: number;
}

/**
 * The listed changes summed per directory, so a reviewer sees "/usr/lib +48 MB" before the paths behind it. A
 * directory that only passes on one child directory's total (same figures) is left out for that child: the
 * deepest directory that explains a total is the one worth reading. The root is the whole, not listed. Largest
 * |delta| first, then by path.
 */
export function directoryTotals(changes: readonly FileChange[], limit = Infinity): DirectoryTotal[] {
  const sums = new Map<string, Sum>();
  const add = (path: string, delta: number, which: 'added' | 'removed' | 'changed') => {
    for (let dir = parentOf(path); ; dir = parentOf(dir)) {
      let s = sums.get(dir);
      if (!s) sums.set(dir, (s = { delta: 0, added: 0, removed: 0, changed: 0 }));
      s.delta += delta;
      s[which]++;
      if (dir === '/') break;
    }
  };
  for (const c of changes) {
    if (c.change === 'moved') {
      add(c.from!, -c.sizeBase, 'removed');
      add(c.path, c.sizeHead, 'added');
    } else {
      add(c.path, c.sizeHead - c.sizeBase, c.change);
    }
  }
  const same = (a: Sum, b: Sum) => a.delta === b.delta && a.added === b.added && a.removed === b.removed && a.changed === b.changed;
  const passThrough = new Set<string>();
  for (const [dir, s] of sums) {
    if (dir === '/') continue;
    const up = parentOf(dir);
    const parent = sums.get(up);
    if (parent && same(parent, s)) passThrough.add(up);
  }
  const out: DirectoryTotal[] = [];
  for (const [path, s] of sums) if (path !== '/' && !passThrough.has(path)) out.push({ path, ...s });
  out.sort((a, b) => Math.abs(b.delta) - Math.abs(a.delta) || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return out.slice(0, limit);
}
