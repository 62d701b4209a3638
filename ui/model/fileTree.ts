import type { FileEntry, Image, LayerEntry } from '../../src/model/types.js';

/** Every path that exists in any layer, once, name-sorted: built once per image, never copied per layer. */
export interface TreeNode {
  readonly id: number;
  readonly name: string;
  readonly path: string;
  readonly parent: TreeNode | undefined;
  readonly children: TreeNode[];
  readonly events: readonly LayerEntry[];
}

export type Mark = 'added' | 'modified' | 'removed' | 'unmodified';

/** The entry visible at `path` in the merged filesystem after layer `layer` (undefined when none). */
export function entryAt(node: TreeNode, layer: number): FileEntry | undefined {
  for (let i = node.events.length - 1; i >= 0; i--) {
    const e = node.events[i]!;
    if (e.type !== 'entry' || e.layer > layer) continue;
    if (e.hiddenBy < 0 || e.hiddenBy > layer) return e;
  }
  return undefined;
}

function sameContent(a: FileEntry, b: FileEntry): boolean {
  return a.kind === b.kind && a.mode === b.mode && a.uid === b.uid && a.gid === b.gid && a.size === b.size && a.hash === b.hash && a.link === b.link;
}

export interface FileTree {
  readonly root: TreeNode;
  readonly nodes: readonly TreeNode[];
  readonly byPath: ReadonlyMap<string, TreeNode>;
}

export function buildFileTree(image: Image): FileTree {
  const nodes: TreeNode[] = [];
  const byPath = new Map<string, TreeNode>();
  const root: TreeNode = { id: 0, name: '/', path: '/', parent: undefined, children: [], events: [] };
  nodes.push(root);
  byPath.set('/', root);
  const ensure = (path: string, events: readonly LayerEntry[] = []): TreeNode => {
    const hit = byPath.get(path);
    if (hit) return hit;
    const i = path.lastIndexOf('/');
    const parent = ensure(i <= 0 ? '/' : path.slice(0, i));
    const node: TreeNode = { id: nodes.length, name: path.slice(i + 1), path, parent, children: [], events };
    nodes.push(node);
    byPath.set(path, node);
    parent.children.push(node);
    return node;
  };
  // ids ascend from parents to children, so a path with a history is reached before anything implies it
  const files = image.files;
  for (const p of files.pathIds()) ensure(files.paths.path(p), files.history(p));
  for (const n of nodes) n.children.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { root, nodes, byPath };
}

/**
 * The tree at one layer compared with another: per node, whether it shows, its mark and, for directories, the bytes
 * below it. One linear pass over the static tree per layer change (arrays indexed by node id, no per-node objects).
 */
export interface LayerState {
  readonly layer: number;
  /** -1: compared with nothing (everything is added). */
  readonly against: number;
  readonly present: Uint8Array;
  readonly mark: Uint8Array;
  readonly size: Float64Array;
}

export const MARKS: readonly Mark[] = ['unmodified', 'added', 'modified', 'removed'];
const UNMODIFIED = 0;
const ADDED = 1;
const MODIFIED = 2;
const REMOVED = 3;

export function layerState(tree: FileTree, layer: number, against: number): LayerState {
  const n = tree.nodes.length;
  const present = new Uint8Array(n);
  const mark = new Uint8Array(n);
  const size = new Float64Array(n);
  // children have larger ids than their parents: walking ids downwards is a post-order
  for (let id = n - 1; id >= 0; id--) {
    const node = tree.nodes[id]!;
    let bytes = 0;
    let shown = 0;
    let added = 0;
    let removed = 0;
    let changed = 0;
    let removedBytes = 0;
    for (const c of node.children) {
      if (!present[c.id]) continue;
      shown++;
      const m = mark[c.id]!;
      if (m !== REMOVED) bytes += size[c.id]!;
      else removedBytes += size[c.id]!;
      if (m === ADDED) added++;
      else if (m === REMOVED) removed++;
      if (m !== UNMODIFIED) changed++;
    }
    if (node.events.length === 0) {
      // a directory no layer wrote an entry for: it exists while something below it does
      if (shown > 0 || id === 0) {
        present[id] = 1;
        mark[id] = id === 0 ? UNMODIFIED : added === shown ? ADDED : removed === shown ? REMOVED : changed > 0 ? MODIFIED : UNMODIFIED;
      }
      size[id] = mark[id] === REMOVED ? removedBytes : bytes;
      continue;
    }
    const now = entryAt(node, layer);
    const before = against >= 0 ? entryAt(node, against) : undefined;
    if (now) {
      present[id] = 1;
      if (now.kind !== 'dir') bytes += now.size;
      if (!before) mark[id] = ADDED;
      else if (now !== before && !sameContent(now, before)) mark[id] = MODIFIED;
      else if (changed > 0 && now.kind === 'dir') mark[id] = MODIFIED;
    } else if (before || shown > 0) {
      present[id] = 1;
      mark[id] = REMOVED;
      // what was removed, for display
      bytes = removedBytes + (before && before.kind !== 'dir' ? before.size : 0);
    }
    size[id] = bytes;
  }
  return { layer, against, present, mark, size };
}
