import { NODE_DIR, NODE_SMALL, type TreeColumns } from '../../src/report/html/pageData.js';
import { plural } from './format.js';

/** The page's view of the data's columnar tree: parents and child lists rebuilt from pre-order + child counts. */
export class Tree {
  readonly count: number;
  readonly parent: Int32Array;
  private readonly start: Int32Array;
  private readonly list: Int32Array;

  constructor(readonly cols: TreeColumns) {
    const n = cols.name.length;
    this.count = n;
    this.parent = new Int32Array(n).fill(-1);
    this.start = new Int32Array(n + 1);
    for (let i = 0; i < n; i++) this.start[i + 1] = this.start[i]! + cols.kids[i]!;
    this.list = new Int32Array(this.start[n]!);
    const fill = this.start.slice(0, n);
    const open: number[] = [];
    const left: number[] = [];
    if (n > 0 && cols.kids[0]! > 0) {
      open.push(0);
      left.push(cols.kids[0]!);
    }
    for (let i = 1; i < n; i++) {
      while (left.length > 0 && left[left.length - 1] === 0) {
        open.pop();
        left.pop();
      }
      const p = open[open.length - 1]!;
      left[left.length - 1]!--;
      this.parent[i] = p;
      this.list[fill[p]!++] = i;
      if (cols.kids[i]! > 0) {
        open.push(i);
        left.push(cols.kids[i]!);
      }
    }
  }

  children(i: number): Int32Array {
    return this.list.subarray(this.start[i]!, this.start[i + 1]!);
  }

  isDir(i: number): boolean {
    return this.cols.kind[i] === NODE_DIR;
  }

  isSmall(i: number): boolean {
    return this.cols.kind[i] === NODE_SMALL;
  }

  /** The node's path (`/usr/lib`); an aggregate's is its directory's. */
  path(i: number): string {
    if (this.isSmall(i)) return this.path(this.parent[i]!);
    const parts: string[] = [];
    for (let q = i; q > 0; q = this.parent[q]!) parts.push(this.cols.name[q]!);
    return '/' + parts.reverse().join('/');
  }

  /** What to call the node in a list or on the map. */
  label(i: number): string {
    if (this.isSmall(i)) return `${plural(Math.max(this.cols.files[i]!, this.cols.hiddenFiles[i]!), 'small file')}`;
    return i === 0 ? '/' : this.cols.name[i]!;
  }

  /** Ancestors from the root down to i, both included. */
  lineage(i: number): number[] {
    const out: number[] = [];
    for (let q = i; q >= 0; q = this.parent[q]!) out.push(q);
    return out.reverse();
  }

  /** The node of a path: the path itself, else the aggregate of its directory, else its deepest ancestor. */
  find(path: string): number {
    let node = 0;
    for (const part of path.split('/').filter((p) => p !== '')) {
      const kids = this.children(node);
      let next = -1;
      for (const c of kids) if (!this.isSmall(c) && this.cols.name[c] === part) next = c;
      if (next < 0) {
        for (const c of kids) if (this.isSmall(c)) return c;
        return node;
      }
      node = next;
    }
    return node;
  }
}
