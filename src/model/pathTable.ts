import { int32Column } from './columns.js';
import { NO_PATH, ROOT_PATH, type PathId } from './ids.js';

const EMPTY = -1;
const FIRST_SLOTS = 1 << 10;

/**
 * Every path any layer names, interned once for the whole archive: a layer that rewrites /usr/bin/x stores the id,
 * not another copy of the string. Ancestors are interned with their descendants, so ids form a tree
 * (a parent's id is always smaller than its children's). Id 0 is `/`.
 *
 * A path is found by its parent's id and its last component, through a hash table of its own (open addressing over
 * an Int32Array) rather than a Map of whole paths: V8 hashes a string longer than 16,383 characters by its length
 * alone, so a Map of long equal-length names degenerates into one bucket (3,000 names of 20,006 characters took 15 s,
 * 6,000 took 96 s). Here each character of a path is hashed once, however long it is.
 */
export class PathTable {
  private readonly paths: string[] = ['/'];
  private readonly parents = int32Column<PathId, PathId>();
  /** Each path's hash (of its parent id and last component), kept to re-slot without rehashing the strings. */
  private readonly hashes = int32Column<number, PathId>();
  /** Path ids by hash, EMPTY where free; at most half full. */
  private slots = new Int32Array(FIRST_SLOTS).fill(EMPTY);
  /** The parent of the last path interned the slow way, and its id. */
  private lastDir = '/';
  private lastDirId = ROOT_PATH;

  constructor() {
    this.parents.push(NO_PATH);
    this.hashes.push(0);
  }

  get size(): number {
    return this.paths.length;
  }

  /** The id of a normalised absolute path (`/a/b`), interning it and its ancestors when new. */
  intern(path: string): PathId {
    if (path === '/') return ROOT_PATH;
    // a tar lists a directory's files together: most paths are children of the last new path's parent
    const slash = path.lastIndexOf('/');
    if (slash === this.lastDir.length && slash > 0 && path.startsWith(this.lastDir)) return this.child(this.lastDirId, path, slash + 1, path.length, true);
    // top-down, one component at a time (no recursion: paths can be deep)
    let parent = ROOT_PATH;
    let start = 1;
    for (let end = path.indexOf('/', start); end > 0; end = path.indexOf('/', start)) {
      // an empty component (`//`) names the same directory; normalised paths have none
      if (end > start) parent = this.child(parent, path, start, end, true);
      start = end + 1;
    }
    if (start === path.length) return parent;
    if (slash > 0) {
      this.lastDir = this.paths[parent]!;
      this.lastDirId = parent;
    }
    return this.child(parent, path, start, path.length, true);
  }

  /** The id of a path, or -1 when no layer names it. */
  lookup(path: string): PathId {
    if (path === '/') return ROOT_PATH;
    if (path.charCodeAt(0) !== 0x2f) return NO_PATH;
    let parent = ROOT_PATH;
    let start = 1;
    for (;;) {
      const slashAt = path.indexOf('/', start);
      const end = slashAt < 0 ? path.length : slashAt;
      parent = this.child(parent, path, start, end, false);
      if (parent === NO_PATH || slashAt < 0) return parent;
      start = end + 1;
    }
  }

  /** The child of `parent` named `path[start, end)`, whose path is `path[0, end)`; added when `add` and new. */
  private child(parent: PathId, path: string, start: number, end: number, add: boolean): PathId {
    if (start === end) return NO_PATH;
    const hash = componentHash(parent, path, start, end);
    const mask = this.slots.length - 1;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const id = this.slots[slot]!;
      if (id === EMPTY) {
        if (!add) return NO_PATH;
        return this.add(path.length === end ? path : path.slice(0, end), parent, hash, slot);
      }
      const known = this.paths[id]!;
      // the same parent and a path of the same length that `path` starts with: the same component
      if (this.hashes.get(id as PathId) === hash && this.parents.get(id as PathId) === parent && known.length === end && path.startsWith(known)) {
        return id as PathId;
      }
    }
  }

  private add(path: string, parent: PathId, hash: number, slot: number): PathId {
    const id = this.paths.length as PathId;
    this.paths.push(path);
    this.parents.push(parent);
    this.hashes.push(hash);
    this.slots[slot] = id;
    if (this.paths.length * 2 > this.slots.length) this.grow();
    return id;
  }

  private grow(): void {
    const slots = new Int32Array(this.slots.length * 2).fill(EMPTY);
    const mask = slots.length - 1;
    for (let id = 1; id < this.paths.length; id++) {
      let slot = this.hashes.get(id as PathId) & mask;
      while (slots[slot] !== EMPTY) slot = (slot + 1) & mask;
      slots[slot] = id;
    }
    this.slots = slots;
  }

  path(pathId: PathId): string {
    return this.paths[pathId]!;
  }

  /** -1 for `/`. */
  parent(pathId: PathId): PathId {
    return this.parents.get(pathId);
  }
}

/** FNV-1a over the parent id and the component's UTF-16 code units, then a murmur3 finaliser to spread the bits. */
function componentHash(parent: number, s: string, start: number, end: number): number {
  let h = Math.imul(0x811c9dc5 ^ parent, 0x01000193);
  for (let i = start; i < end; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) | 0;
}
