import type { FileEntry } from '../../src/model/entryTypes.js';
import type { Image } from '../../src/model/imageTypes.js';
import type { ImageFiles } from '../../src/model/imageFiles.js';
import { NO_ENTRY, ROOT_PATH, type EntryId, type LayerRow, type PathId } from '../../src/model/ids.js';
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

/**
 * A row's change against the layer compared with. Besides dive's four: `transient`, a path written inside the layer
 * range and gone again by its end (in aggregated mode, where waste hides: dive paints these red); `rewritten`, a
 * file written again with the same bytes, mode and owner (dive calls it unmodified; its bytes are stored twice).
 */
export type Mark = 'added' | 'modified' | 'removed' | 'unmodified' | 'transient' | 'rewritten';

/** dive's four hide keys: what came and went hides with the removed, an identical rewrite with the modified. */
export const HIDDEN_WITH: Readonly<Record<Mark, Mark>> = { added: 'added', modified: 'modified', removed: 'removed', unmodified: 'unmodified', transient: 'removed', rewritten: 'modified' };

export interface FileTree {
  readonly files: ImageFiles;
  /** `fathom diff`: BASE's files, whose paths the tree holds too. */
  readonly baseFiles?: ImageFiles;
  readonly root: TreeNode;
  readonly nodes: readonly TreeNode[];
  /** Each node's parent's id (-1 for the root), for the passes that walk ids downwards and add into the parent. */
  readonly parentIds: Int32Array;
  /** Each path id's node id, -1 when the tree does not hold the path. */
  readonly nodeOfPath: Int32Array;
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

/** The last entry a layer in `after < layer <= upTo` wrote for the node's path (what a transient path last was), or -1. */
export function lastEntryIdIn(files: ImageFiles, node: TreeNode, after: number, upTo: number): EntryId {
  let found = NO_ENTRY;
  for (let id = files.first(node.pathId); id >= 0; id = files.next(id)) {
    const layer = files.layerOf(id);
    if (layer > upTo) break;
    if (layer > after && isFileKind(files.kind(id))) found = id;
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
  const parents: number[] = [-1];
  nodeOfPath[0] = 0;
  for (let p = 1 as PathId; p < table.size; p++) {
    if (present[p] === 0) continue;
    const path = table.path(p);
    const parent = nodes[nodeOfPath[table.parent(p)]!]!;
    const node: TreeNode = { id: nodes.length, name: path.slice(path.lastIndexOf('/') + 1), path, parent, children: [], pathId: p, hasHistory: (present[p]! & NAMED) !== 0 };
    nodeOfPath[p] = node.id;
    nodes.push(node);
    parents.push(parent.id);
    parent.children.push(node);
  }
  for (const n of nodes) if (n.children.length > 1) n.children.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const nodeOf = (path: string): TreeNode | undefined => {
    const p = table.lookup(path);
    const id = p < 0 ? -1 : nodeOfPath[p]!;
    return id < 0 ? undefined : nodes[id];
  };
  return { files, ...(baseFiles ? { baseFiles } : {}), root, nodes, parentIds: Int32Array.from(parents), nodeOfPath, nodeOf };
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

export const MARKS: readonly Mark[] = ['unmodified', 'added', 'modified', 'removed', 'transient', 'rewritten'];
const UNMODIFIED = 0;
const ADDED = 1;
const MODIFIED = 2;
const REMOVED = 3;
const TRANSIENT = 4;
const REWRITTEN = 5;

/**
 * Per node, the image-wide id of the entry visible after layer `layer` and after layer `against` (-1: none, or
 * `against` < 0), as `entryIdAt` finds them, in one pass over the entries of layers 0..layer in id order rather
 * than a walk of every node's history: within a path, file entries come in id order, so the last visible one wins.
 * `wrote`: the last entry a layer after `against` wrote, visible or not (what a path that came and went last was).
 */
function visibleEntries(tree: FileTree, layer: number, against: number, scratch: Scratch): { now: Int32Array; before: Int32Array; wrote: Int32Array } {
  const { now, before, wrote } = scratch;
  now.fill(NO_ENTRY);
  before.fill(NO_ENTRY);
  wrote.fill(NO_ENTRY);
  const files = tree.files;
  const nodeOfPath = tree.nodeOfPath;
  for (let k = 0; k <= layer && k < files.layers.length; k++) {
    const t = files.layers[k]!;
    const count = t.count;
    const start = files.entryId(k, 0 as LayerRow);
    for (let row = 0 as LayerRow; row < count; row++) {
      if (!isFileKind(t.kind.get(row))) continue;
      const node = nodeOfPath[t.path.get(row)]!;
      if (node < 0) continue;
      const hiddenBy = t.hiddenBy.get(row);
      if (hiddenBy < 0 || hiddenBy > layer) now[node] = start + row;
      if (k <= against && (hiddenBy < 0 || hiddenBy > against)) before[node] = start + row;
      if (k > against) wrote[node] = start + row;
    }
  }
  return { now, before, wrote };
}

/**
 * The working arrays of a layer state's pass, kept per tree and cleared for each pass rather than made again: ten
 * arrays of a node each, 5 MB on the bench archive's tree, were garbage after every first visit of a layer, and the
 * collections they brought were the slow keys' outliers.
 */
class Scratch {
  readonly now: Int32Array;
  readonly before: Int32Array;
  readonly wrote: Int32Array;
  readonly totals: ChildTotals;

  constructor(n: number) {
    this.now = new Int32Array(n);
    this.before = new Int32Array(n);
    this.wrote = new Int32Array(n);
    this.totals = new ChildTotals(n);
  }
}

const scratchOf = new WeakMap<FileTree, Scratch>();

/** A node's present children, added up as the pass that walks ids downwards reaches each child (before its parent). */
class ChildTotals {
  readonly shown: Int32Array;
  readonly added: Int32Array;
  readonly removed: Int32Array;
  readonly transient: Int32Array;
  readonly changed: Int32Array;
  /** bytes of the children not gone at the layer, and of those gone (removed or transient) */
  readonly bytes: Float64Array;
  readonly removedBytes: Float64Array;

  constructor(n: number) {
    this.shown = new Int32Array(n);
    this.added = new Int32Array(n);
    this.removed = new Int32Array(n);
    this.transient = new Int32Array(n);
    this.changed = new Int32Array(n);
    this.bytes = new Float64Array(n);
    this.removedBytes = new Float64Array(n);
  }

  clear(): void {
    this.shown.fill(0);
    this.added.fill(0);
    this.removed.fill(0);
    this.transient.fill(0);
    this.changed.fill(0);
    this.bytes.fill(0);
    this.removedBytes.fill(0);
  }

  add(parent: number, mark: number, size: number): void {
    this.shown[parent]!++;
    // what is gone at the layer is shown with its bytes, which its directory does not hold
    if (mark === REMOVED || mark === TRANSIENT) this.removedBytes[parent]! += size;
    else this.bytes[parent]! += size;
    if (mark === ADDED) this.added[parent]!++;
    else if (mark === REMOVED) this.removed[parent]!++;
    else if (mark === TRANSIENT) this.transient[parent]!++;
    if (mark !== UNMODIFIED) this.changed[parent]!++;
  }

  /** The mark of a directory no layer wrote an entry for: from what is below it. */
  impliedMark(id: number): number {
    const shown = this.shown[id]!;
    if (this.added[id] === shown) return ADDED;
    if (this.removed[id]! + this.transient[id]! === shown) return this.removed[id]! > 0 ? REMOVED : TRANSIENT;
    return this.changed[id]! > 0 ? MODIFIED : UNMODIFIED;
  }
}

export function layerState(tree: FileTree, layer: number, against: number): LayerState {
  const n = tree.nodes.length;
  const files = tree.files;
  const present = new Uint8Array(n);
  const mark = new Uint8Array(n);
  const size = new Float64Array(n);
  let scratch = scratchOf.get(tree);
  if (!scratch) scratchOf.set(tree, (scratch = new Scratch(n)));
  const { now: nowOf, before: beforeOf, wrote: wroteOf } = visibleEntries(tree, layer, against, scratch);
  const c = scratch.totals;
  c.clear();
  // children have larger ids than their parents: walking ids downwards is a post-order, and each node's totals
  // are complete when it is reached
  for (let id = n - 1; id >= 0; id--) {
    let bytes = c.bytes[id]!;
    const shown = c.shown[id]!;
    const changed = c.changed[id]!;
    if (!tree.nodes[id]!.hasHistory) {
      // a directory no layer wrote an entry for: it exists while something below it does
      if (shown > 0 || id === 0) {
        present[id] = 1;
        mark[id] = id === 0 ? UNMODIFIED : c.impliedMark(id);
      }
      size[id] = mark[id] === REMOVED || mark[id] === TRANSIENT ? c.removedBytes[id]! : bytes;
    } else {
      const now = nowOf[id]! as EntryId;
      const before = beforeOf[id]! as EntryId;
      const wrote = wroteOf[id]! as EntryId;
      if (now >= 0) {
        present[id] = 1;
        const dir = files.kind(now) === Kind.dir;
        if (!dir) bytes += files.size(now);
        if (before < 0) mark[id] = ADDED;
        else if (now !== before && !files.sameContent(now, before)) mark[id] = MODIFIED;
        else if (changed > 0 && dir) mark[id] = MODIFIED;
        // a directory's entry comes again with every change below it: only a file's identical rewrite is worth a mark
        else if (now !== before && !dir) mark[id] = REWRITTEN;
      } else if (before < 0 && wrote >= 0) {
        // written inside the range and gone by its end
        present[id] = 1;
        mark[id] = TRANSIENT;
        bytes = c.removedBytes[id]! + (files.kind(wrote) !== Kind.dir ? files.size(wrote) : 0);
      } else if (before >= 0 || shown > 0) {
        present[id] = 1;
        mark[id] = REMOVED;
        // what was removed, for display
        bytes = c.removedBytes[id]! + (before >= 0 && files.kind(before) !== Kind.dir ? files.size(before) : 0);
      }
      size[id] = bytes;
    }
    if (present[id] && id > 0) c.add(tree.parentIds[id]!, mark[id]!, size[id]!);
  }
  return { layer, against, present, mark, size };
}
