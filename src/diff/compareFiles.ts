import type { FileKind } from '../model/kinds.js';
import type { EntryId, PathId } from '../model/ids.js';
import type { ImageFiles } from '../model/imageFiles.js';
import { Kind, kindName, type KindCode } from '../model/kinds.js';

/** How a path that both images have differs. `type` excludes `modified` and `symlink`. */
export type ChangeKind = 'modified' | 'type' | 'symlink' | 'mode' | 'owner';
export const CHANGE_KINDS: readonly ChangeKind[] = ['modified', 'type', 'symlink', 'mode', 'owner'];

export type Change = 'added' | 'removed' | 'changed' | 'moved';

/** What one image has at a path. An implied directory (named only by what lies below it) has no metadata. */
export interface EntryFacts {
  readonly type: FileKind;
  /** Permission bits with setuid/setgid/sticky (07777). */
  readonly mode?: number;
  readonly uid?: number;
  readonly gid?: number;
  /** A symlink's target as written. */
  readonly link?: string;
}

export interface FileChange {
  readonly path: string;
  readonly change: Change;
  /** A move's old path. */
  readonly from?: string;
  /** For `changed`: every way the path differs; empty otherwise. */
  readonly kinds: readonly ChangeKind[];
  /**
   * Bytes at and below the path on each side (a removed tree's whole size). A hard link is 0 bytes, as in its layer's
   * tar and in dive: its content is counted once, at the file it links to, not once per name.
   */
  readonly sizeBase: number;
  readonly sizeHead: number;
  /** Entries other than directories at and below the path on each side. */
  readonly filesBase: number;
  readonly filesHead: number;
  readonly base?: EntryFacts;
  readonly head?: EntryFacts;
}

interface Draft {
  path: string;
  change: Change;
  from?: string;
  kinds: ChangeKind[];
  sizeBase: number;
  sizeHead: number;
  filesBase: number;
  filesHead: number;
  base?: EntryFacts;
  head?: EntryFacts;
  /** The listed change whose subtree holds this one (with `expand`), or -1. */
  up: number;
}

const ABSENT = 0;
const ENTRY = 1;
const IMPLIED_DIR = 2;

/** path id → ENTRY where the final filesystem shows an entry, IMPLIED_DIR where only something below it. */
function presence(files: ImageFiles, size: number): Uint8Array {
  const at = new Uint8Array(size);
  for (const p of files.visiblePathIds()) at[p] = ENTRY;
  // a parent's id is below its children's: one pass from the top id down reaches every ancestor
  for (let p = size - 1; p > 0; p--) {
    if (at[p] === ABSENT) continue;
    const up = files.paths.parent(p as PathId);
    if (up > 0 && at[up] === ABSENT) at[up] = IMPLIED_DIR;
  }
  return at;
}

/** The kind an entry compares as: a hard link is the regular file whose content it shares. */
function fileKind(files: ImageFiles, id: EntryId): KindCode {
  const k = files.kind(id);
  return k === Kind.hardlink ? Kind.file : k;
}

function factsOf(files: ImageFiles, state: number, pathId: PathId): EntryFacts {
  if (state === IMPLIED_DIR) return { type: 'dir' };
  const id = files.visibleId(pathId);
  const kind = fileKind(files, id);
  const link = kind === Kind.symlink ? files.link(id) : undefined;
  return { type: kindName(kind) as FileKind, mode: files.mode(id) & 0o7777, uid: files.uid(id), gid: files.gid(id), ...(link !== undefined ? { link } : {}) };
}

/** Every way two entries at one path differ (BASE's `b`, HEAD's `h`); mtimes never count. */
export function differences(base: ImageFiles, b: EntryId, head: ImageFiles, h: EntryId): ChangeKind[] {
  const kinds: ChangeKind[] = [];
  const bk = fileKind(base, b);
  const hk = fileKind(head, h);
  if (bk !== hk) {
    kinds.push('type');
  } else if (bk === Kind.file) {
    const bc = base.contentOf(b);
    const hc = head.contentOf(h);
    const unresolved = base.kind(bc) === Kind.hardlink || head.kind(hc) === Kind.hardlink;
    const same = unresolved ? base.link(bc) === head.link(hc) : base.size(bc) === head.size(hc) && base.sameHash(bc, head, hc);
    if (!same) kinds.push('modified');
  } else if (bk === Kind.symlink && base.link(b) !== head.link(h)) {
    kinds.push('symlink');
  }
  // a symlink's mode means nothing on Linux, and tools disagree on what they write for it
  if (bk !== Kind.symlink && hk !== Kind.symlink && (base.mode(b) & 0o7777) !== (head.mode(h) & 0o7777)) kinds.push('mode');
  if (base.uid(b) !== head.uid(h) || base.gid(b) !== head.gid(h)) kinds.push('owner');
  return kinds;
}

/** The bytes an entry adds to its image: a hard link's are its target's, already counted there. */
function entryBytes(files: ImageFiles, id: EntryId): number {
  return files.kind(id) === Kind.hardlink ? 0 : files.size(id);
}

/** Count a path into the listed change `at` and every listed change whose subtree holds that one. */
function accumulate(out: Draft[], at: number, base: ImageFiles, b: number, head: ImageFiles, h: number, pathId: PathId): void {
  let size = 0;
  let files = 0;
  if (b === ENTRY) {
    const id = base.visibleId(pathId);
    if (base.kind(id) !== Kind.dir) {
      size = entryBytes(base, id);
      files = 1;
    }
  }
  let sizeH = 0;
  let filesH = 0;
  if (h === ENTRY) {
    const id = head.visibleId(pathId);
    if (head.kind(id) !== Kind.dir) {
      sizeH = entryBytes(head, id);
      filesH = 1;
    }
  }
  if (files + filesH === 0) return;
  for (let i = at; i >= 0; i = out[i]!.up) {
    const d = out[i]!;
    d.sizeBase += size;
    d.filesBase += files;
    d.sizeHead += sizeH;
    d.filesHead += filesH;
  }
}

const isDir = (state: number, files: ImageFiles, pathId: PathId) =>
  state === IMPLIED_DIR || (state === ENTRY && files.kind(files.visibleId(pathId)) === Kind.dir);

/**
 * The two final filesystems compared path by path, with overlay semantics already applied by stacking. Both
 * images must share one PathTable: the comparison is then one walk over the path ids, linear in the paths of
 * both, with no object for an unchanged path. Ids ascend from parent to child, so when a path is listed as added,
 * removed or changed type to or from a directory, its descendants are met later and only counted into it: a path
 * is listed only when its parent is a directory on both sides (`expand` lists those descendants too, each with
 * its own subtree's figures). The root is never compared. Sorted by path.
 */
export function compareFiles(base: ImageFiles, head: ImageFiles, opts: { expand?: boolean } = {}): FileChange[] {
  if (base.paths !== head.paths) throw new Error('compareFiles: the two images must be loaded into one PathTable');
  const table = base.paths;
  const size = table.size;
  const inBase = presence(base, size);
  const inHead = presence(head, size);
  /** path id → index of the listed change whose subtree holds it, or -1 */
  const cover = new Int32Array(size).fill(-1);
  const out: Draft[] = [];
  for (let p = 1 as PathId; p < size; p++) {
    const b = inBase[p]!;
    const h = inHead[p]!;
    if (b === ABSENT && h === ABSENT) continue;
    const holder = cover[table.parent(p)]!;
    if (holder >= 0 && !opts.expand) {
      cover[p] = holder;
      accumulate(out, holder, base, b, head, h, p);
      continue;
    }
    if (holder >= 0) {
      // one side only has a path below a listed subtree: it came or went with it
      const d: Draft = { path: table.path(p), change: b === ABSENT ? 'added' : 'removed', kinds: [], sizeBase: 0, sizeHead: 0, filesBase: 0, filesHead: 0, up: holder };
      if (b !== ABSENT) d.base = factsOf(base, b, p);
      if (h !== ABSENT) d.head = factsOf(head, h, p);
      cover[p] = out.length;
      out.push(d);
      accumulate(out, cover[p]!, base, b, head, h, p);
      continue;
    }
    let kinds: ChangeKind[] = [];
    if (b !== ABSENT && h !== ABSENT) {
      const bDir = isDir(b, base, p);
      const hDir = isDir(h, head, p);
      if (b === ENTRY && h === ENTRY) kinds = differences(base, base.visibleId(p), head, head.visibleId(p));
      else if (bDir !== hDir) kinds = ['type'];
      if (kinds.length === 0) continue;
      if (bDir === hDir) {
        // changed in place: a file's own size, or a directory whose children are compared one by one
        const d: Draft = { path: table.path(p), change: 'changed', kinds, sizeBase: 0, sizeHead: 0, filesBase: 0, filesHead: 0, base: factsOf(base, b, p), head: factsOf(head, h, p), up: -1 };
        out.push(d);
        accumulate(out, out.length - 1, base, b, head, h, p);
        continue;
      }
    }
    const change: Change = b === ABSENT ? 'added' : h === ABSENT ? 'removed' : 'changed';
    const d: Draft = { path: table.path(p), change, kinds, sizeBase: 0, sizeHead: 0, filesBase: 0, filesHead: 0, up: -1 };
    if (b !== ABSENT) d.base = factsOf(base, b, p);
    if (h !== ABSENT) d.head = factsOf(head, h, p);
    cover[p] = out.length;
    out.push(d);
    accumulate(out, cover[p]!, base, b, head, h, p);
  }
  const moved = pairMoves(out, base, head, table);
  moved.sort((x, y) => (x.path < y.path ? -1 : x.path > y.path ? 1 : 0));
  return moved.map(({ up: _up, ...change }) => change);
}

/**
 * A regular file removed at one listed path and added at another with the same content (xxh64 and size) moved.
 * Empty files are never paired (every empty file has the same hash). When several candidates share a content,
 * they pair in path order.
 */
function pairMoves(changes: Draft[], base: ImageFiles, head: ImageFiles, table: ImageFiles['paths']): Draft[] {
  const removed = new Map<string, Draft[]>();
  const contentKey = (files: ImageFiles, path: string): string | undefined => {
    const id = files.contentOf(files.visibleId(table.lookup(path)));
    if (files.kind(id) !== Kind.file || files.size(id) === 0) return undefined;
    return `${files.contentHash(id)}:${files.size(id)}`;
  };
  const sorted = [...changes].sort((x, y) => (x.path < y.path ? -1 : x.path > y.path ? 1 : 0));
  for (const d of sorted) {
    if (d.change !== 'removed' || d.base?.type !== 'file' || d.up >= 0) continue;
    const key = contentKey(base, d.path);
    if (key === undefined) continue;
    const list = removed.get(key);
    if (list) list.push(d);
    else removed.set(key, [d]);
  }
  if (removed.size === 0) return changes;
  const gone = new Set<Draft>();
  for (const d of sorted) {
    if (d.change !== 'added' || d.head?.type !== 'file' || d.up >= 0) continue;
    const key = contentKey(head, d.path);
    const from = key === undefined ? undefined : removed.get(key)?.shift();
    if (!from) continue;
    d.change = 'moved';
    d.from = from.path;
    d.sizeBase = from.sizeBase;
    d.filesBase = from.filesBase;
    d.base = from.base!;
    gone.add(from);
  }
  return changes.filter((d) => !gone.has(d));
}
