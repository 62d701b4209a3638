import type { FileEntry } from '../../src/model/entryTypes.js';
import type { Finding, RuleContext } from './types.js';

/** The regular files of the final filesystem (what a container sees: hidden and deleted entries are not here). */
export function* visibleFiles(ctx: RuleContext): IterableIterator<FileEntry> {
  for (const e of ctx.tree.entries()) if (e.kind === 'file') yield e;
}

/** What a per-file rule says about one file; the path and the layer that added it are filled in. */
export type FileVerdict = Omit<Finding, 'path' | 'layer'>;

/**
 * Visit every visible regular file, keep one finding per file the visitor reports, sorted by path so a report is
 * the same whatever order the layers listed the files in.
 */
export function findingPerFile(ctx: RuleContext, visit: (file: FileEntry) => FileVerdict | undefined): Finding[] {
  const out: Finding[] = [];
  for (const e of visibleFiles(ctx)) {
    const verdict = visit(e);
    if (verdict) out.push({ ...verdict, path: e.path, layer: ctx.layerRef(e.layer) });
  }
  return out.sort((a, b) => (a.path! < b.path! ? -1 : a.path! > b.path! ? 1 : 0));
}
