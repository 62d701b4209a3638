import type { FileEntry } from '../../src/model/entryTypes.js';
import type { Image } from '../../src/model/imageTypes.js';
import type { ImageFiles } from '../../src/model/imageFiles.js';
import { NO_ENTRY, ROOT_PATH, type EntryId, type PathId } from '../../src/model/ids.js';
import { isFileKind, Kind } from '../../src/model/kinds.js';

/**
 * Every path that exists in any layer, once, name-sorted: built once per image, never copied per layer. A node holds
 * no entry objects: its history is read from the image's columns (`ImageFiles`) when a layer is shown.
 */
export interface TreeNode {
  readonly id: number;
  readonly name: string;
  readonly path: string;
  readonly parent: TreeNode | undefined;
  readonly children: TreeNode[];
  /** The path's id in the image's path table. */
  readonly pathId: PathId;
  /** Whether some layer names the path (a directory only implied by what is below it has no history). */
  readonly hasHistory: boolean;
}

export type Mark = 'added' | 'modified' | 'removed' | 'unmodified';

export interface FileTree {
  readonly files: ImageFiles;
  /** `fathom diff`: BASE's files, whose paths the tree holds too. */
  readonly baseFiles?: ImageFiles;
  readonly root: TreeNode;
  readonly nodes: readonly TreeNode[];
  /** The node of a path, if the image has it. */
  nodeOf(path: string): TreeNode | undefined;
}

/** Image-wide id of the entry visible at the node's path after layer `layer`, or -1. */
export function entryIdAt(files: ImageFiles, node: TreeNode, layer: number): EntryId {
  let found = NO_ENTRY;
  // the history is in layer order: the last entry still visible at `layer` wins
  for (let id = files.first(node.pathId); id >= 0; id = files.next(id)) {
    if (files.layerOf(id) > layer) break;
    if (!isFileKind(files.kind(id))) continue;
    const hiddenBy = files.hiddenBy(id);
    if (hiddenBy < 0 || hiddenBy > layer) found = id;
  }
  return found;
}

/** The entry visible at the node's path after layer `layer`, as an object (for the rows on screen). */
export function entryAt(tree: FileTree, node: TreeNode, layer: number): FileEntry | undefined {
  const id = entryIdAt(tree.files, node, layer);
  return id < 0 ? undefined : (tree.files.entry(id) as FileEntry);
}

const NAMED = 1;
const IMPLIED = 2;

export function buildFileTree(image: Image, baseFiles?: ImageFiles): FileTree {
  const files = image.files;
  const table = files.paths;
  // the path table may hold other images' paths (one table per archive): keep this image's and their ancestors,
  // and in a diff BASE's final paths too (what HEAD removed is shown as removed)
  const present = new Uint8Array(table.size);
  for (const p of files.pathIds()) present[p] = NAMED;
  if (baseFiles) for (const p of baseFiles.visiblePathIds()) present[p] = NAMED;
  // a parent's id is smaller than its children's: walking ids downwards reaches every ancestor
  for (let p = (table.size - 1) as PathId; p > 0; p--) if (present[p] !== 0) present[table.parent(p)]! |= IMPLIED;
  const nodeOfPath = new Int32Array(table.size).fill(-1);
  const root: TreeNode = { id: 0, name: '/', path: '/', parent: undefined, children: [], pathId: ROOT_PATH, hasHistory: false };
  const nodes: TreeNode[] = [root];
  nodeOfPath[0] = 0;
  for (let p = 1 as PathId; p < table.size; p++) {
    if (present[p] === 0) continue;
    const path = table.path(p);
    const parent = nodes[nodeOfPath[table.parent(p)]!]!;
    const node: TreeNode = { id: nodes.length, name: path.slice(path.lastIndexOf('/') + 1), path, parent, children: [], pathId: p, hasHistory: (present[p]! & NAMED) !== 0 };
    nodeOfPath[p] = node.id;
    nodes.push(node);
    parent.children.push(node);
  }
  for (const n of nodes) if (n.children.length > 1) n.children.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const nodeOf = (path: string): TreeNode | undefined => {
    const p = table.lookup(path);
    const id = p < 0 ? -1 : nodeOfPath[p]!;
    return id < 0 ? undefined : nodes[id];
  };
  return { files, ...(baseFiles ? { baseFiles } : {}), root, nodes, nodeOf };
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
  /** Against BASE: each node's ChangeKind bits (CHANGE_KINDS order). */
  readonly kinds?: Uint8Array;
}

/** `against` of a LayerState compared with BASE's final filesystem. */
export const AGAINST_BASE = -2;

export const MARKS: readonly Mark[] = ['unmodified', 'added', 'modified', 'removed'];
const UNMODIFIED = 0;
const ADDED = 1;
const MODIFIED = 2;
const REMOVED = 3;

export function layerState(tree: FileTree, layer: number, against: number): LayerState {
  const n = tree.nodes.length;
  const files = tree.files;
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
    if (!node.hasHistory) {
      // a directory no layer wrote an entry for: it exists while something below it does
      if (shown > 0 || id === 0) {
        present[id] = 1;
        mark[id] = id === 0 ? UNMODIFIED : added === shown ? ADDED : removed === shown ? REMOVED : changed > 0 ? MODIFIED : UNMODIFIED;
      }
      size[id] = mark[id] === REMOVED ? removedBytes : bytes;
      continue;
    }
    const now = entryIdAt(files, node, layer);
    const before = against >= 0 ? entryIdAt(files, node, against) : NO_ENTRY;
    if (now >= 0) {
      present[id] = 1;
      const dir = files.kind(now) === Kind.dir;
      if (!dir) bytes += files.size(now);
      if (before < 0) mark[id] = ADDED;
      else if (now !== before && !files.sameContent(now, before)) mark[id] = MODIFIED;
      else if (changed > 0 && dir) mark[id] = MODIFIED;
    } else if (before >= 0 || shown > 0) {
      present[id] = 1;
      mark[id] = REMOVED;
      // what was removed, for display
      bytes = removedBytes + (before >= 0 && files.kind(before) !== Kind.dir ? files.size(before) : 0);
    }
    size[id] = bytes;
  }
  return { layer, against, present, mark, size };
}
