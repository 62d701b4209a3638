import type { ImagePackages } from '../analysis/packages.js';
import type { InstalledPackage, PackageManager } from '../model/entryTypes.js';
import { compareVersions } from './versionOrder.js';

export interface PackageChange {
  readonly name: string;
  readonly arch?: string;
  readonly base: string;
  readonly head: string;
  readonly direction: 'upgraded' | 'downgraded';
}

export interface PackageEntry {
  readonly name: string;
  readonly version: string;
  readonly arch?: string;
}

export interface PackagesDiff {
  /** The database each side was read from; undefined where the image has none. */
  readonly base?: PackageManager;
  readonly head?: PackageManager;
  readonly baseCount: number;
  readonly headCount: number;
  readonly added: readonly PackageEntry[];
  readonly removed: readonly PackageEntry[];
  readonly changed: readonly PackageChange[];
}

/** name, or name:arch for a package installed for several architectures (multiarch) */
function byKey(list: readonly InstalledPackage[]): Map<string, InstalledPackage> {
  const count = new Map<string, number>();
  for (const p of list) count.set(p.name, (count.get(p.name) ?? 0) + 1);
  const out = new Map<string, InstalledPackage>();
  for (const p of list) out.set((count.get(p.name) ?? 0) > 1 && p.arch ? `${p.name}:${p.arch}` : p.name, p);
  return out;
}

const entry = (p: InstalledPackage): PackageEntry => ({ name: p.name, version: p.version, ...(p.arch ? { arch: p.arch } : {}) });
const byName = (a: { name: string; arch?: string }, b: { name: string; arch?: string }) =>
  a.name < b.name ? -1 : a.name > b.name ? 1 : (a.arch ?? '') < (b.arch ?? '') ? -1 : (a.arch ?? '') > (b.arch ?? '') ? 1 : 0;

/** Installed packages added, removed, and upgraded or downgraded (by Debian's version order), sorted by name. */
export function comparePackages(base: ImagePackages | undefined, head: ImagePackages | undefined): PackagesDiff {
  const b = byKey(base?.packages ?? []);
  const h = byKey(head?.packages ?? []);
  const added: PackageEntry[] = [];
  const removed: PackageEntry[] = [];
  const changed: PackageChange[] = [];
  for (const [k, p] of b) {
    const q = h.get(k);
    if (!q) removed.push(entry(p));
    else if (q.version !== p.version) {
      changed.push({ name: p.name, ...(p.arch ? { arch: p.arch } : {}), base: p.version, head: q.version, direction: compareVersions(q.version, p.version) < 0 ? 'downgraded' : 'upgraded' });
    }
  }
  for (const [k, q] of h) if (!b.has(k)) added.push(entry(q));
  return {
    ...(base ? { base: base.manager } : {}),
    ...(head ? { head: head.manager } : {}),
    baseCount: b.size,
    headCount: h.size,
    added: added.sort(byName),
    removed: removed.sort(byName),
    changed: changed.sort(byName),
  };
}
