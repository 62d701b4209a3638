/**
 * Paths inside an image: normalised absolute strings (`/`, `/a/b`), data and never host paths, so they are taken
 * apart by string, not by `node:path` (which would follow the host's conventions).
 */

export function parentOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i <= 0 ? '/' : path.slice(0, i);
}

export function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

export function joinPath(dir: string, name: string): string {
  return dir === '/' ? '/' + name : dir + '/' + name;
}
