import type { ImageFiles } from '../model/imageFiles.js';
import type { FileEntry } from '../model/entryTypes.js';
import type { Image } from '../model/imageTypes.js';
import { joinPath, parentOf } from '../model/paths.js';

/** Linux gives up after 40 symlinks in one lookup (ELOOP). */
const MAX_SYMLINKS = 40;

export type Resolution =
  | { readonly ok: true; readonly path: string; readonly entry: FileEntry; readonly hops: readonly string[] }
  | { readonly ok: false; readonly reason: 'missing' | 'loop' | 'not-a-directory'; readonly at: string; readonly hops: readonly string[] };

/**
 * The final (merged) filesystem of an image, as the container sees it: visible entries only, symlinks resolved
 * inside the image (never on the host), hard links resolved to the entry they share content with.
 */
export class MergedTree {
  private readonly files: ImageFiles;

  constructor(image: Image) {
    this.files = image.files;
  }

  get(path: string): FileEntry | undefined {
    return this.files.visible(this.files.paths.lookup(path));
  }

  /** Every visible entry, made as it is reached (nothing is kept). */
  *entries(): IterableIterator<FileEntry> {
    for (const p of this.files.visiblePathIds()) yield this.files.visible(p)!;
  }

  /** Implied directories exist too (a layer may add /a/b without an entry for /a). */
  private isDir(path: string): boolean {
    return path === '/' || this.files.isVisibleDir(this.files.paths.lookup(path));
  }

  /**
   * Resolve a path the way the kernel does: every symlink on the way is followed (the last one too, unless
   * `followLast` is false), `..` never climbs above `/`, more than 40 links is a loop.
   */
  resolve(path: string, followLast = true): Resolution {
    const hops: string[] = [];
    const pending = path.split('/').filter((p) => p !== '' && p !== '.');
    pending.reverse();
    let cur = '/';
    let links = 0;
    while (pending.length > 0) {
      const part = pending.pop()!;
      if (part === '..') {
        cur = parentOf(cur);
        continue;
      }
      const next = joinPath(cur, part);
      const e = this.get(next);
      if (!e) {
        // an implied directory: some visible entry lives below it
        if (pending.length > 0 && this.hasChildren(next)) {
          cur = next;
          continue;
        }
        return { ok: false, reason: 'missing', at: next, hops };
      }
      const last = pending.length === 0;
      if (e.kind === 'symlink' && (!last || followLast)) {
        if (++links > MAX_SYMLINKS) return { ok: false, reason: 'loop', at: next, hops };
        hops.push(`${next} -> ${e.link}`);
        const target = (e.link ?? '').split('/').filter((p) => p !== '' && p !== '.');
        for (let i = target.length - 1; i >= 0; i--) pending.push(target[i]!);
        if ((e.link ?? '').startsWith('/')) cur = '/';
        continue;
      }
      if (!last && e.kind !== 'dir') return { ok: false, reason: 'not-a-directory', at: next, hops };
      cur = next;
    }
    let entry = this.get(cur);
    if (!entry) {
      if (cur === '/' || this.hasChildren(cur)) {
        entry = { type: 'entry', path: cur, kind: 'dir', mode: 0o755, uid: 0, gid: 0, size: 0, link: undefined, hash: undefined, probe: undefined, layer: 0, hiddenBy: -1, hiddenHow: undefined };
      } else {
        return { ok: false, reason: 'missing', at: cur, hops };
      }
    }
    if (entry.kind === 'hardlink' && entry.link) {
      const target = this.get(entry.link);
      if (target) return { ok: true, path: cur, entry: { ...target, path: cur, mode: entry.mode, uid: entry.uid, gid: entry.gid }, hops };
    }
    return { ok: true, path: cur, entry, hops };
  }

  /** path id → 1 when some visible entry lives below it; made on first use */
  private below: Uint8Array | undefined;

  private hasChildren(dir: string): boolean {
    const paths = this.files.paths;
    if (!this.below) {
      const below = new Uint8Array(paths.size);
      for (const p of this.files.visiblePathIds()) {
        for (let d = paths.parent(p); d >= 0 && below[d] === 0; d = paths.parent(d)) below[d] = 1;
      }
      this.below = below;
    }
    const pathId = paths.lookup(dir);
    return (pathId >= 0 && this.below[pathId] === 1) || this.isDir(dir);
  }

  /** The text of a small file the layer reader captured (/etc/passwd…), after symlinks. */
  text(path: string): string | undefined {
    const r = this.resolve(path);
    return r.ok ? r.entry.probe?.text : undefined;
  }
}
