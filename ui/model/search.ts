import type { TreeNode } from './fileTree.js';
import type { TreeView } from './treeView.js';

/** The paths a search finds in a tree view, in the order of its rows, and where every shown node stands in it. */
export interface SearchMatches {
  readonly nodes: readonly TreeNode[];
  /** Per node id: its place among the view's rows with every directory open, or -1 when the view does not show it. */
  readonly rank: Int32Array;
}

/**
 * What a search matches: the names, as `find -name` does, so `saved` finds each file called so once rather than every
 * path below a matching directory; a search holding a `/` is matched against the full path, as `find -path` does.
 * Nothing while it is empty or does not compile.
 */
export function searchTest(search: string): ((node: TreeNode) => boolean) | null {
  if (search === '') return null;
  let re: RegExp;
  try {
    re = new RegExp(search);
  } catch {
    return null;
  }
  return search.includes('/') ? (n) => re.test(n.path) : (n) => re.test(n.name);
}

/** The matches among the rows a view shows (its filter and hide flags hold; folded directories are searched too). */
export function searchMatches(view: TreeView, test: (node: TreeNode) => boolean): SearchMatches {
  const { nodes: shown, rank } = view.rowOrder();
  return { nodes: shown.filter(test), rank };
}

/**
 * The match after (`by` 1) or before (`by` -1) the node at `from`, wrapping around; with no `from`, the first.
 * Returns its index among the matches, or -1 when there are none.
 */
export function stepMatch(m: SearchMatches, from: TreeNode | undefined, by: 1 | -1): number {
  const count = m.nodes.length;
  if (count === 0) return -1;
  if (!from) return by === 1 ? 0 : count - 1;
  const at = m.rank[from.id]!;
  if (by === 1) {
    const i = m.nodes.findIndex((n) => m.rank[n.id]! > at);
    return i < 0 ? 0 : i;
  }
  for (let i = count - 1; i >= 0; i--) if (m.rank[m.nodes[i]!.id]! < at) return i;
  return count - 1;
}
