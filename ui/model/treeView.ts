import { CHANGE_KINDS, type ChangeKind } from '../../src/diff/compareFiles.js';
import type { FileEntry } from '../../src/model/entryTypes.js';
import { AGAINST_BASE, entryAt, HIDDEN_WITH, lastEntryIdIn, MARKS, type FileTree, type LayerState, type Mark, type TreeNode } from './fileTree.js';

export type SortOrder = 'size' | 'name';

export interface ViewOptions {
  readonly hide: ReadonlySet<Mark>;
  /** Regular expression over the full path; a directory stays when something below it matches. */
  readonly filter: RegExp | null;
  readonly sort: SortOrder;
  readonly collapsed: ReadonlySet<number>;
}

export interface Row {
  readonly node: TreeNode;
  readonly depth: number;
  readonly mark: Mark;
  /** The entry at the selected layer, or for a removed path the entry it had before. */
  readonly entry: FileEntry | undefined;
  readonly size: number;
  readonly hasChildren: boolean;
  readonly collapsed: boolean;
  /** Against BASE (`fathom diff`): how a modified path differs. */
  readonly kinds: readonly ChangeKind[];
  /**
   * For the node and each ancestor below the root (outermost first, `depth + 1` of them): whether it is the last row
   * among its siblings, which is what tree guide lines (`├── `, `└── `, `│   `) are drawn from.
   */
  readonly last: readonly boolean[];
}

/**
 * Each layer state's children orders by size, made as a view first needs them and shared by every view of the state:
 * a hide flag, a filter or a fold makes a new view, and the big directories were sorted again for each.
 */
const sortedOf = new WeakMap<LayerState, Map<number, TreeNode[]>>();

/**
 * The rows of the file tree under the view options, without building them all: per node, whether it shows and how
 * many rows its subtree takes, so a window of rows is found by skipping whole subtrees. Filter, hide flags and layer
 * changes cost one linear pass; collapsing a directory updates only its ancestors; a frame costs the window.
 */
export class TreeView {
  private readonly shown: Uint8Array;
  private readonly rows: Int32Array;
  private readonly sorted: Map<number, TreeNode[]>;
  private walked: ReturnType<TreeView['rowOrder']> | undefined;

  constructor(
    readonly tree: FileTree,
    readonly state: LayerState,
    readonly options: ViewOptions,
  ) {
    const n = tree.nodes.length;
    let sorted = sortedOf.get(state);
    if (!sorted) sortedOf.set(state, (sorted = new Map()));
    this.sorted = sorted;
    this.shown = new Uint8Array(n);
    // a node's rows: its own and, added up as the pass below reaches each shown child (children have larger ids,
    // so they come first), its children's
    const rows = (this.rows = new Int32Array(n));
    const parentIds = tree.parentIds;
    const { hide, filter, collapsed } = options;
    const hidden = MARKS.map((m) => hide.has(HIDDEN_WITH[m]));
    for (let id = n - 1; id >= 0; id--) {
      if (!state.present[id]) continue;
      const childRows = rows[id]!;
      // a shown child is at least one row, so some child shows exactly when there are child rows
      const self = !hidden[state.mark[id]!] && (filter === null || filter.test(tree.nodes[id]!.path));
      if (!self && childRows === 0 && id !== 0) continue;
      this.shown[id] = 1;
      if (id === 0) break;
      rows[id] = 1 + (collapsed.has(id) ? 0 : childRows);
      rows[parentIds[id]!]! += rows[id]!;
    }
  }

  /** Rows below the root (the root itself is not a row). */
  get totalRows(): number {
    return this.rows[0]!;
  }

  private order(node: TreeNode): TreeNode[] {
    if (this.options.sort === 'name') return node.children;
    let s = this.sorted.get(node.id);
    if (!s) {
      const size = this.state.size;
      s = [...node.children].sort((a, b) => size[b.id]! - size[a.id]! || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      this.sorted.set(node.id, s);
    }
    return s;
  }

  private row(node: TreeNode, depth: number, last: readonly boolean[]): Row {
    const mark = MARKS[this.state.mark[node.id]!]!;
    const base = this.tree.baseFiles;
    const entry =
      mark === 'removed' && this.state.against === AGAINST_BASE && base
        ? base.visible(node.pathId)
        : mark === 'transient'
          ? this.lastWritten(node)
          : entryAt(this.tree, node, mark === 'removed' && this.state.against >= 0 ? this.state.against : this.state.layer);
    const bits = this.state.kinds?.[node.id] ?? 0;
    return {
      node,
      depth,
      mark,
      entry,
      size: this.state.size[node.id]!,
      hasChildren: node.children.some((c) => this.shown[c.id]),
      collapsed: this.options.collapsed.has(node.id),
      kinds: bits === 0 ? [] : CHANGE_KINDS.filter((_, i) => (bits & (1 << i)) !== 0),
      last,
    };
  }

  /** What a transient path last was inside the range (dive shows that entry, with its mode and size). */
  private lastWritten(node: TreeNode): FileEntry | undefined {
    const id = lastEntryIdIn(this.tree.files, node, this.state.against, this.state.layer);
    return id < 0 ? undefined : (this.tree.files.entry(id) as FileEntry);
  }

  /** `count` rows starting at row `start`, skipping subtrees that end before it. */
  window(start: number, count: number): Row[] {
    const out: Row[] = [];
    let skip = start;
    // whether each ancestor on the way down is the last of its siblings (for the guide lines)
    const lasts: boolean[] = [];
    const visit = (node: TreeNode, depth: number): boolean => {
      const children = this.order(node);
      let lastShown = children.length - 1;
      while (lastShown >= 0 && !this.shown[children[lastShown]!.id]) lastShown--;
      for (let i = 0; i <= lastShown; i++) {
        const c = children[i]!;
        if (!this.shown[c.id]) continue;
        const r = this.rows[c.id]!;
        if (skip >= r) {
          skip -= r;
          continue;
        }
        lasts[depth] = i === lastShown;
        if (skip === 0) {
          out.push(this.row(c, depth, lasts.slice(0, depth + 1)));
          if (out.length >= count) return true;
        } else {
          skip--;
        }
        if (!this.options.collapsed.has(c.id) && visit(c, depth + 1)) return true;
      }
      return false;
    };
    if (count > 0) visit(this.tree.root, 0);
    return out;
  }

  /** The row index of a node (after its ancestors), or -1 when it is not shown. */
  indexOf(target: TreeNode): number {
    const chain: TreeNode[] = [];
    for (let n: TreeNode | undefined = target; n && n.id !== 0; n = n.parent) chain.unshift(n);
    let index = 0;
    let parent = this.tree.root;
    for (const step of chain) {
      if (!this.shown[step.id]) return -1;
      if (parent.id !== 0 && this.options.collapsed.has(parent.id)) return -1;
      for (const c of this.order(parent)) {
        if (c === step) break;
        if (this.shown[c.id]) index += this.rows[c.id]!;
      }
      if (step !== target) index++;
      parent = step;
    }
    return index;
  }

  /**
   * Every node the view shows, in the order of its rows, folded directories' contents included (what a search
   * looks through), and each node's place among them (-1: not shown): made once per view, as every key typed into a
   * search looks through the same view again.
   */
  rowOrder(): { readonly nodes: readonly TreeNode[]; readonly rank: Int32Array } {
    if (this.walked) return this.walked;
    const nodes: TreeNode[] = [];
    const rank = new Int32Array(this.tree.nodes.length).fill(-1);
    const down = (node: TreeNode): void => {
      for (const c of this.order(node)) {
        if (!this.shown[c.id]) continue;
        rank[c.id] = nodes.length;
        nodes.push(c);
        if (c.children.length > 0) down(c);
      }
    };
    down(this.tree.root);
    return (this.walked = { nodes, rank });
  }

  isShown(node: TreeNode): boolean {
    return this.shown[node.id] === 1;
  }
}
