import type { InstalledPackage, PackageManager } from '../model/entryTypes.js';
import type { ImageFiles } from '../model/imageFiles.js';
import type { PathId } from '../model/ids.js';
import { Kind } from '../model/kinds.js';

export interface ImagePackages {
  readonly manager: PackageManager;
  /** Where the list was read: `/var/lib/dpkg/status`, `…/status.d/*`, `/lib/apk/db/installed`. */
  readonly sources: readonly string[];
  readonly packages: readonly InstalledPackage[];
}

const DPKG_STATUS_D = '/var/lib/dpkg/status.d';

/**
 * The packages the final filesystem says are installed, from the databases the layer reader parsed as they
 * streamed: dpkg's status file plus distroless's one-file-per-package status.d, or apk's installed db. Undefined
 * when the image has none (scratch, busybox, a static binary).
 */
export function installedPackages(files: ImageFiles): ImagePackages | undefined {
  const found: Array<{ path: string; manager: PackageManager; packages: readonly InstalledPackage[] }> = [];
  const read = (pathId: PathId) => {
    const e = files.visible(pathId);
    if (e?.kind === 'file' && e.probe?.packages) found.push({ path: e.path, ...e.probe.packages });
  };
  for (const path of ['/var/lib/dpkg/status', '/lib/apk/db/installed']) read(files.paths.lookup(path));
  const dir = files.paths.lookup(DPKG_STATUS_D);
  if (dir >= 0 && files.isVisibleDir(dir)) {
    for (const p of files.visiblePathIds()) if (files.paths.parent(p) === dir && files.kind(files.visibleId(p)) === Kind.file) read(p);
  }
  if (found.length === 0) return undefined;
  // an image with both (apk-tools installed on Debian…) is described by the larger database
  const counts = new Map<PackageManager, number>();
  for (const f of found) counts.set(f.manager, (counts.get(f.manager) ?? 0) + f.packages.length);
  const manager = [...counts].sort((a, b) => b[1] - a[1])[0]![0];
  const mine = found.filter((f) => f.manager === manager);
  return { manager, sources: mine.map((f) => f.path), packages: mine.flatMap((f) => f.packages) };
}
