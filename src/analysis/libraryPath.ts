/**
 * Where the dynamic loader looks for a library, read from the image alone (ld.so(8)): RPATH/RUNPATH with $ORIGIN,
 * LD_LIBRARY_PATH from the config, /etc/ld.so.conf and its includes, the multiarch and default directories. Shared by
 * entrypoint-runnable (is every library there?) and strip (which files does the program load?).
 */
import { posix } from 'node:path';
import type { ElfFacts } from '../model/entryTypes.js';
import type { ImageConfig } from '../model/imageTypes.js';
import { joinPath, parentOf } from '../model/paths.js';
import { envValue } from './executables.js';
import type { MergedTree } from './mergedTree.js';

/** Debian/Ubuntu multiarch directory names by ELF e_machine. */
const TRIPLETS: Record<number, string> = {
  3: 'i386-linux-gnu',
  40: 'arm-linux-gnueabihf',
  21: 'powerpc64le-linux-gnu',
  22: 's390x-linux-gnu',
  62: 'x86_64-linux-gnu',
  183: 'aarch64-linux-gnu',
  243: 'riscv64-linux-gnu',
};

/**
 * glob(3)'s `*` and `?` within one file name; every other character, brackets included, stands for itself. The
 * pattern is the image's data: nothing in it may reach the regular-expression syntax.
 */
function globRegExp(glob: string): RegExp {
  const body = [...glob].map((c) => (c === '*' ? '[^/]*' : c === '?' ? '[^/]' : c.replace(/[.+^${}()|[\]\\?*/]/g, '\\$&'))).join('');
  return new RegExp(`^${body}$`);
}

/** /etc/ld.so.conf and the files it includes (glob `*.conf` in a directory). */
export function ldSoConfDirs(tree: MergedTree): string[] {
  const dirs: string[] = [];
  const seen = new Set<string>();
  const read = (path: string, depth: number) => {
    if (depth > 4 || seen.has(path)) return;
    seen.add(path);
    for (const raw of (tree.text(path) ?? '').split('\n')) {
      const line = raw.replace(/#.*/, '').trim();
      if (!line) continue;
      const inc = /^include\s+(.+)$/.exec(line);
      if (inc) {
        const pattern = inc[1]!.trim();
        const dir = parentOf(pattern.startsWith('/') ? pattern : joinPath('/etc', pattern));
        const re = globRegExp(pattern.slice(pattern.lastIndexOf('/') + 1));
        const files = [...tree.entries()].filter((e) => parentOf(e.path) === dir && re.test(e.path.slice(dir.length + 1))).map((e) => e.path).sort();
        for (const f of files) read(f, depth + 1);
      } else {
        dirs.push(...line.split(/[\s:,]+/).filter((d) => d.startsWith('/')));
      }
    }
  };
  read('/etc/ld.so.conf', 0);
  return dirs;
}

function defaultDirs(facts: ElfFacts): string[] {
  const t = TRIPLETS[facts.machine];
  const multi = t ? [`/lib/${t}`, `/usr/lib/${t}`] : [];
  const wide = facts.class === 64 ? ['/lib64', '/usr/lib64'] : [];
  return [...multi, ...wide, '/lib', '/usr/lib', '/usr/local/lib'];
}

const expandOrigin = (dirs: readonly string[], objectPath: string) =>
  dirs.map((d) => posix.normalize(d.replace(/\$\{?ORIGIN\}?/g, parentOf(objectPath))));

export interface LibSearch {
  readonly tree: MergedTree;
  readonly config: ImageConfig;
  readonly exe: ElfFacts;
  readonly confDirs: readonly string[];
}

/** Where ld.so looks for `name`, needed by the object at `from` (order as ld.so(8) describes). */
export function searchDirs(s: LibSearch, obj: ElfFacts, from: string): string[] {
  const ldLibraryPath = (envValue(s.config, 'LD_LIBRARY_PATH') ?? '').split(':').filter(Boolean);
  const head =
    obj.runpath.length > 0
      ? [...ldLibraryPath, ...expandOrigin(obj.runpath, from)]
      : [...expandOrigin(obj.rpath, from), ...(s.exe.runpath.length === 0 ? s.exe.rpath : []), ...ldLibraryPath];
  return [...head, ...s.confDirs, ...defaultDirs(s.exe)];
}


/** A library as the loader finds it: the name it opened (the first candidate that is a regular file) and that file. */
export type LibraryLookup =
  | { readonly ok: true; readonly opened: string; readonly path: string; readonly facts: ElfFacts | undefined }
  | { readonly ok: false; readonly candidates: readonly string[] };

export function findLibrary(s: LibSearch, obj: ElfFacts, from: string, name: string): LibraryLookup {
  const candidates = name.includes('/') ? [name] : searchDirs(s, obj, from).map((d) => joinPath(d, name));
  for (const c of candidates) {
    const r = s.tree.resolve(c);
    if (r.ok && r.entry.kind === 'file') return { ok: true, opened: c, path: r.path, facts: r.entry.probe?.elf };
  }
  return { ok: false, candidates };
}
