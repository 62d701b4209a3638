import { int32Column } from './columns.js';
import { NO_PATH, ROOT_PATH, type PathId } from './ids.js';

/**
 * Every path any layer names, interned once for the whole archive: a layer that rewrites /usr/bin/x stores the id,
 * not another copy of the string. Ancestors are interned with their descendants, so ids form a tree
 * (a parent's id is always smaller than its children's). Id 0 is `/`.
 */
export class PathTable {
  private readonly ids = new Map<string, PathId>();
  private readonly paths: string[] = ['/'];
  private readonly parents = int32Column<PathId, PathId>();
  /** The parent of the last path interned the slow way, and its id. */
  private lastDir = '/';
  private lastDirId = ROOT_PATH;

  constructor() {
    this.ids.set('/', ROOT_PATH);
    this.parents.push(NO_PATH);
  }

  get size(): number {
    return this.paths.length;
  }

  /** The id of a normalised absolute path (`/a/b`), interning it and its ancestors when new. */
  intern(path: string): PathId {
    const hit = this.ids.get(path);
    if (hit !== undefined) return hit;
    // a tar lists a directory's files together: most new paths are children of the last new path's parent
    const slash = path.lastIndexOf('/');
    if (slash === this.lastDir.length && slash > 0 && path.startsWith(this.lastDir)) return this.add(path, this.lastDirId);
    // walk up to the nearest known ancestor, then add the missing ones top-down (no recursion: paths can be deep)
    const missing: string[] = [path];
    let parent = ROOT_PATH;
    for (let end = path.lastIndexOf('/'); end > 0; end = path.lastIndexOf('/', end - 1)) {
      const dir = path.slice(0, end);
      const known = this.ids.get(dir);
      if (known !== undefined) {
        parent = known;
        break;
      }
      missing.push(dir);
    }
    for (let i = missing.length - 1; i >= 1; i--) parent = this.add(missing[i]!, parent);
    if (slash > 0) {
      this.lastDir = missing.length > 1 ? missing[1]! : path.slice(0, slash);
      this.lastDirId = parent;
    }
    return this.add(path, parent);
  }

  private add(path: string, parent: PathId): PathId {
    const id = this.paths.length as PathId;
    this.paths.push(path);
    this.parents.push(parent);
    this.ids.set(path, id);
    return id;
  }

  /** The id of a path, or -1 when no layer names it. */
  lookup(path: string): PathId {
    return this.ids.get(path) ?? NO_PATH;
  }

  path(pathId: PathId): string {
    return this.paths[pathId]!;
  }

  /** -1 for `/`. */
  parent(pathId: PathId): PathId {
    return this.parents.get(pathId);
  }
}
