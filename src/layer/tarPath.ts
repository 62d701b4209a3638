import { posix } from 'node:path';
import { baseName, joinPath, parentOf } from '../model/paths.js';

/**
 * Normalise a path from a tar header to an absolute image path: `./a/b/` → `/a/b`.
 * `..` cannot climb above `/`: the path is data inside the image, never a host path.
 */
export function normalizeTarPath(name: string): string {
  // the common case (`a/b`, `./a/b/`) needs no full normalisation
  const plain = name.startsWith('./') ? name.slice(2) : name;
  if (!plain.includes('//') && !/(^|\/)\.\.?(\/|$)/.test(plain)) {
    const p = plain.startsWith('/') ? plain : '/' + plain;
    return p.length > 1 && p.endsWith('/') ? p.slice(0, -1) : p;
  }
  const p = posix.normalize('/' + name);
  if (p.length > 1 && p.endsWith('/')) return p.slice(0, -1);
  return p;
}

const WHITEOUT_PREFIX = '.wh.';
const OPAQUE_MARKER = '.wh..wh..opq';

export type WhiteoutName =
  | { readonly kind: 'whiteout'; readonly target: string }
  | { readonly kind: 'opaque'; readonly dir: string }
  | { readonly kind: 'bookkeeping' }
  | null;

/** Classify an overlay whiteout name (AUFS convention used by image layers). */
export function parseWhiteout(path: string): WhiteoutName {
  // anything inside a `.wh..wh.*` directory (aufs hard-link bookkeeping) is bookkeeping too
  if (path.includes('/' + WHITEOUT_PREFIX + WHITEOUT_PREFIX) && !path.endsWith('/' + OPAQUE_MARKER)) return { kind: 'bookkeeping' };
  const name = baseName(path);
  if (!name.startsWith(WHITEOUT_PREFIX)) return null;
  if (name === OPAQUE_MARKER) return { kind: 'opaque', dir: parentOf(path) };
  if (name.startsWith(WHITEOUT_PREFIX + WHITEOUT_PREFIX)) return { kind: 'bookkeeping' };
  return { kind: 'whiteout', target: joinPath(parentOf(path), name.slice(WHITEOUT_PREFIX.length)) };
}
