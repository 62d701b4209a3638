import { int32Column } from './columns.js';

/**
 * Every path any layer names, interned once for the whole archive: a layer that rewrites /usr/bin/x stores the id,
 * not another copy of the string. Ancestors are interned with their descendants, so ids form a tree
 * (a parent's id is always smaller than its children's). Id 0 is `/`.
 */
export class PathTable {
  private readonly ids = new Map<string, number>();
  private readonly paths: string[] = ['/'];
  private readonly parents = int32Column();

  constructor() {
    this.ids.set('/', 0);
    this.parents.push(-1);
  }

  get size(): number {
    return this.paths.length;
  }

  /** The id of a normalised absolute path (`/a/b`), interning it and its ancestors when new. */
  intern(path: string): number {
    const hit = this.ids.get(path);
    if (hit !== undefined) return hit;
    // walk up to the nearest known ancestor, then add the missing ones top-down (no recursion: paths can be deep)
    const missing: string[] = [path];
    let parent = 0;
    for (let end = path.lastIndexOf('/'); end > 0; end = path.lastIndexOf('/', end - 1)) {
      const dir = path.slice(0, end);
      const known = this.ids.get(dir);
      if (known !== undefined) {
        parent = known;
        break;
      }
      missing.push(dir);
    }
    for (let i = missing.length - 1; i >= 0; i--) {
      const id = this.paths.length;
      this.paths.push(missing[i]!);
      this.parents.push(parent);
      this.ids.set(missing[i]!, id);
      parent = id;
    }
    return parent;
  }

  /** The id of a path, or -1 when no layer names it. */
  lookup(path: string): number {
    return this.ids.get(path) ?? -1;
  }

  path(id: number): string {
    return this.paths[id]!;
  }

  /** -1 for `/`. */
  parent(id: number): number {
    return this.parents.get(id);
  }
}
