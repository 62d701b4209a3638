import type { FileEntry } from '../../src/model/entryTypes.js';
import { Kind } from '../../src/model/kinds.js';
import type { Finding, RuleContext } from './types.js';

const made = new WeakMap<RuleContext, readonly FileEntry[]>();

/**
 * The regular files of the final filesystem (what a container sees: hidden and deleted entries are not here). Made
 * into objects once per rule context and shared by the rules that visit every file: each of five rules making every
 * entry again was most of the rules' time, in code not yet optimised on a run's first and only pass. Held by the
 * context only, which the review drops once the rules have run.
 */
export function visibleFiles(ctx: RuleContext): readonly FileEntry[] {
  let files = made.get(ctx);
  if (!files) {
    const list: FileEntry[] = [];
    // the kind column first: directories and links are never made into objects here
    const image = ctx.image.files;
    for (const p of image.visiblePathIds()) {
      const id = image.visibleId(p);
      if (image.kind(id) === Kind.file) list.push(image.entry(id) as FileEntry);
    }
    made.set(ctx, list);
    files = list;
  }
  return files;
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
