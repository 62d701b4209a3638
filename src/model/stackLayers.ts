import type { FileEntry, HiddenHow, LayerEntry, OpaqueEntry, WhiteoutEntry } from './types.js';
import { joinPath } from '../layer/tarPath.js';

/** A node of the merged filesystem while layers are stacked; it exists only during the stacking pass. */
interface Node {
  entry: FileEntry | undefined;
  children: Map<string, Node> | undefined;
}

function isDirNode(n: Node): boolean {
  return n.entry ? n.entry.kind === 'dir' : n.children !== undefined && n.children.size > 0;
}

function lookup(root: Node, path: string): Node | undefined {
  let n: Node | undefined = root;
  for (let start = 1; start < path.length; ) {
    let end = path.indexOf('/', start);
    if (end < 0) end = path.length;
    n = n.children?.get(path.slice(start, end));
    if (!n) return undefined;
    start = end + 1;
  }
  return n;
}

function ensure(root: Node, path: string): Node {
  let n = root;
  for (let start = 1; start < path.length; ) {
    let end = path.indexOf('/', start);
    if (end < 0) end = path.length;
    const name = path.slice(start, end);
    n.children ??= new Map();
    let c = n.children.get(name);
    if (!c) {
      c = { entry: undefined, children: undefined };
      n.children.set(name, c);
    }
    n = c;
    start = end + 1;
  }
  return n;
}

/** Σ sizes of the node and everything below it: what dive charges for the whiteout of a directory. */
function subtreeSize(node: Node): number {
  let total = 0;
  const stack: Node[] = [node];
  while (stack.length > 0) {
    const n = stack.pop()!;
    total += n.entry?.size ?? 0;
    if (n.children) for (const c of n.children.values()) stack.push(c);
  }
  return total;
}

function hideSubtree(node: Node, layer: number, how: HiddenHow, includeSelf: boolean): void {
  const stack: Node[] = includeSelf ? [node] : [...(node.children?.values() ?? [])];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (n.entry && n.entry.hiddenBy < 0) {
      n.entry.hiddenBy = layer;
      n.entry.hiddenHow = how;
    }
    if (n.children) for (const c of n.children.values()) stack.push(c);
  }
  if (!includeSelf) node.children = undefined;
}

function detach(root: Node, path: string): void {
  const i = path.lastIndexOf('/');
  const parent = lookup(root, i <= 0 ? '/' : path.slice(0, i));
  parent?.children?.delete(path.slice(i + 1));
}

/**
 * Stack the layers with overlay semantics, in one pass, annotating the entries in place:
 * which layer hid each entry and how, what each whiteout deleted (dive's size), which whiteouts found nothing,
 * and the whiteouts an opaque directory implies (appended to that layer as synthetic entries).
 * Returns the per-path history. Cost is linear in entries: a subtree is walked only when it is removed.
 */
export function stackLayers(
  layers: LayerEntry[][],
  notes: string[],
): Map<string, LayerEntry[]> {
  const root: Node = { entry: undefined, children: undefined };
  const paths = new Map<string, LayerEntry[]>();
  const record = (e: LayerEntry) => {
    const list = paths.get(e.path);
    if (list) list.push(e);
    else paths.set(e.path, [e]);
  };
  let missingWhiteouts = 0;

  layers.forEach((entries, k) => {
    const present = new Set<string>();
    const opaques: OpaqueEntry[] = [];
    const whiteouts: WhiteoutEntry[] = [];
    for (const e of entries) {
      e.layer = k;
      if (e.type === 'opaque') opaques.push(e);
      else if (e.type === 'whiteout') whiteouts.push(e);
    }
    // what this layer re-adds only matters below an opaque directory
    if (opaques.length > 0) for (const e of entries) {
      if (e.type !== 'entry') continue;
      for (let p = e.path; p.length > 1 && !present.has(p); p = p.slice(0, Math.max(1, p.lastIndexOf('/')))) present.add(p);
    }

    // sizes are taken against the stack below this layer, before any of its changes
    const synthetic: WhiteoutEntry[] = [];
    for (const o of opaques) {
      const dir = lookup(root, o.path);
      if (!dir?.children) continue;
      for (const [name, child] of dir.children) {
        const path = joinPath(o.path, name);
        if (present.has(path)) continue;
        synthetic.push({ type: 'whiteout', path, synthetic: true, layer: k, deletedSize: isDirNode(child) ? subtreeSize(child) : 0, missing: false });
      }
    }
    for (const w of whiteouts) {
      const n = lookup(root, w.path);
      if (!n || (!n.entry && !n.children)) {
        w.missing = true;
        missingWhiteouts++;
        continue;
      }
      w.deletedSize = isDirNode(n) ? subtreeSize(n) : 0;
    }

    for (const o of opaques) {
      const dir = lookup(root, o.path);
      if (dir) hideSubtree(dir, k, 'opaque', false);
      record(o);
    }
    for (const w of whiteouts) {
      record(w);
      if (w.missing) continue;
      const n = lookup(root, w.path);
      if (!n) continue; // already hidden by an opaque directory of this same layer
      hideSubtree(n, k, 'deleted', true);
      detach(root, w.path);
    }
    for (const w of synthetic) {
      record(w);
      entries.push(w);
    }
    for (const e of entries) {
      if (e.type !== 'entry') continue;
      record(e);
      const n = ensure(root, e.path);
      if (n.entry && n.entry.hiddenBy < 0) {
        // within one layer, the last entry for a path wins; an earlier one was never visible
        n.entry.hiddenBy = k;
        n.entry.hiddenHow = n.entry.layer === k ? 'duplicate' : 'overwritten';
      }
      if (e.kind !== 'dir' && n.children) hideSubtree(n, k, 'overwritten', false);
      n.entry = e;
    }
  });
  if (missingWhiteouts > 0) {
    notes.push(`${missingWhiteouts} whiteout(s) delete a path that no lower layer has; ignored (dive aborts on these)`);
  }
  return paths;
}
