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
    const i = path.lastIndexOf('/');
    const parent = i <= 0 ? 0 : this.intern(path.slice(0, i));
    const id = this.paths.length;
    this.paths.push(path);
    this.parents.push(parent);
    this.ids.set(path, id);
    return id;
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
