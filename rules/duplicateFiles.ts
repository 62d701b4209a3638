import { visibleFiles } from './support/perFile.js';
import type { FileEntry } from '../src/model/entryTypes.js';
import type { Finding, Rule } from './support/types.js';

interface Group {
  size: number;
  paths: string[];
  layer: number;
}

/** Only files at least this big are worth a finding. */
const MIN_BYTES = 4096;

/** Identical content at several paths of the final image: the bytes that hard links or one copy would save. */
export const duplicateFiles: Rule = {
  meta: {
    id: 'duplicate-files',
    title: 'identical files at several paths',
    severity: 'info',
    docs:
      'Reports regular files of 4 KiB or more whose content (xxh64 of the bytes, computed while reading the layers) ' +
      'is identical at two or more paths of the final filesystem, with the bytes the extra copies take. Hard links ' +
      'to one file are not counted twice. Fix: keep one copy and symlink or hard-link the others, or stop copying ' +
      'the same tree twice (a common COPY . . mistake).',
    related: [],
    tags: ['efficiency', 'size'],
    precision: 'medium',
  },
  check(ctx) {
    // keyed by the hash alone, a file seen once kept as itself: on 40,000 files a key string and a group object
    // for each one were this rule's time. Same hash, different size is kept apart (an xxh64 collision).
    const byHash = new Map<string, FileEntry | Group[]>();
    for (const e of visibleFiles(ctx)) {
      if (e.size < MIN_BYTES || !e.hash) continue;
      const had = byHash.get(e.hash);
      if (had === undefined) {
        byHash.set(e.hash, e);
        continue;
      }
      let groups: Group[];
      if (Array.isArray(had)) groups = had;
      else byHash.set(e.hash, (groups = [{ size: had.size, paths: [had.path], layer: had.layer }]));
      let g = groups.find((x) => x.size === e.size);
      if (!g) groups.push((g = { size: e.size, paths: [], layer: e.layer }));
      g.paths.push(e.path);
      g.layer = Math.max(g.layer, e.layer);
    }
    const out: Finding[] = [];
    for (const v of byHash.values()) {
      if (!Array.isArray(v)) continue;
      for (const g of v) {
        if (g.paths.length < 2) continue;
        g.paths.sort();
        const saved = g.size * (g.paths.length - 1);
        out.push({
          message: `${g.paths.length} identical copies of ${g.size} bytes: ${g.paths.slice(0, 4).join(', ')}${g.paths.length > 4 ? ', …' : ''} (${saved} bytes could be saved)`,
          path: g.paths[0]!,
          layer: ctx.layerRef(g.layer),
          fix: `keep ${g.paths[0]} and link the others to it`,
          bytes: saved,
        });
      }
    }
    return out.sort((a, b) => b.bytes! - a.bytes! || (a.path! < b.path! ? -1 : 1));
  },
};
