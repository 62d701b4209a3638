import { CHANGE_KINDS, differences } from '../../src/diff/compareFiles.js';
import { NO_ENTRY } from '../../src/model/ids.js';
import type { ImageFiles } from '../../src/model/imageFiles.js';
import { Kind } from '../../src/model/kinds.js';
import { AGAINST_BASE, entryIdAt, type FileTree, type LayerState } from './fileTree.js';

const UNMODIFIED = 0;
const ADDED = 1;
const MODIFIED = 2;
const REMOVED = 3;

/**
 * HEAD's tree at `layer` marked against BASE's final filesystem (`fathom diff`): added, removed, modified with
 * the same change kinds as the diff (content, type, symlink target, mode, owner), directories modified when
 * something below them changed. Both images share one path table, so a node's path id names the path in BASE too.
 */
export function baseState(tree: FileTree, layer: number, base: ImageFiles): LayerState {
  const n = tree.nodes.length;
  const files = tree.files;
  const present = new Uint8Array(n);
  const mark = new Uint8Array(n);
  const size = new Float64Array(n);
  const kinds = new Uint8Array(n);
  for (let id = n - 1; id >= 0; id--) {
    const node = tree.nodes[id]!;
    let bytes = 0;
    let shown = 0;
    let changed = 0;
    let removed = 0;
    let removedBytes = 0;
    for (const c of node.children) {
      if (!present[c.id]) continue;
      shown++;
      if (mark[c.id] === REMOVED) {
        removed++;
        removedBytes += size[c.id]!;
      } else bytes += size[c.id]!;
      if (mark[c.id] !== UNMODIFIED) changed++;
    }
    const now = node.hasHistory ? entryIdAt(files, node, layer) : NO_ENTRY;
    const before = base.visibleId(node.pathId);
    if (now >= 0) {
      present[id] = 1;
      // a hard link's own entry, 0 bytes, as dive and the layer browser count it: its target's content is counted
      // once, at the target, not again for each link
      if (files.kind(now) !== Kind.dir) bytes += files.size(now);
      if (before < 0 && id !== 0) mark[id] = ADDED;
      else if (before >= 0) {
        const diff = differences(base, before, files, now);
        for (const k of diff) kinds[id]! |= 1 << CHANGE_KINDS.indexOf(k);
        if (diff.length > 0 || (changed > 0 && files.kind(now) === Kind.dir)) mark[id] = MODIFIED;
      } else if (changed > 0) mark[id] = MODIFIED;
    } else if (before >= 0) {
      present[id] = 1;
      mark[id] = REMOVED;
      bytes = removedBytes + (base.kind(before) !== Kind.dir ? base.size(before) : 0);
    } else if (shown > 0 || id === 0) {
      // a directory only implied by what is below it
      present[id] = 1;
      mark[id] = id === 0 || changed === 0 ? UNMODIFIED : removed === shown ? REMOVED : MODIFIED;
      if (mark[id] === REMOVED) bytes = removedBytes;
    }
    size[id] = bytes;
  }
  return { layer, against: AGAINST_BASE, present, mark, size, kinds };
}
