import { envValue, findExecutable } from '../analysis/executables.js';
import { findLibrary, ldSoConfDirs, type LibSearch } from '../analysis/libraryPath.js';
import type { MergedTree } from '../analysis/mergedTree.js';
import type { ElfFacts, FileEntry } from '../model/entryTypes.js';
import type { ImageConfig } from '../model/imageTypes.js';
import { parentOf } from '../model/paths.js';

/** Why one path is kept: a root's label (`Entrypoint`, `--keep /etc/nginx/**`), or a relation to another kept path. */
export interface KeepReason {
  /** `Cmd`, `needed by`, `loader (PT_INTERP) of`, `#! interpreter of`, `symlink on the way to`, `profile nss` … */
  readonly reason: string;
  /** The kept path the reason points at; absent for a root. */
  readonly by?: string;
}

/** A path the stripped image has: an entry of the image, or one strip makes (a placeholder, a declared directory). */
export interface KeptPath extends KeepReason {
  readonly path: string;
  /** The visible entry, or undefined for one strip makes. */
  readonly entry: FileEntry | undefined;
  /** What strip makes when the image has no entry: an empty file or a directory, with this mode. */
  readonly made?: { readonly kind: 'file' | 'dir'; readonly mode: number };
}

/**
 * A library name a kept ELF file holds as a string (a `dlopen("libm.so.6")`'s argument): ldd does not show it, so it
 * is "maybe needed". `path` is where the loader's search finds it (the same search as DT_NEEDED), absent when the
 * image has no such library; `kept` when --keep-dlopen kept it.
 */
export interface MaybeNeeded {
  readonly name: string;
  readonly by: string;
  readonly path?: string;
  readonly kept: boolean;
}

/** A library name found in `by`, with the facts its search needs (the object's and the executable's). */
interface NamedLibrary {
  readonly name: string;
  readonly by: string;
  readonly obj: ElfFacts;
  readonly exe: ElfFacts;
}

/** What kept the closure from being complete: the runtime would fail on it. */
export interface ClosureProblem {
  readonly path: string;
  readonly message: string;
}

/**
 * The set of paths a program needs, grown from roots: every symlink on the way kept as a symlink, hop by hop; for a
 * regular file, its `#!` interpreter, or its ELF loader and every DT_NEEDED library on the loader's search path,
 * recursively. Parent directories come with each path. Nothing here reads bytes: the facts are the layer reader's.
 */
export class Closure {
  readonly kept = new Map<string, KeptPath>();
  readonly problems: ClosureProblem[] = [];
  readonly confDirs: readonly string[];
  readonly maybeNeeded: MaybeNeeded[] = [];
  private readonly followed = new Set<string>();
  /** Directories the tree resolved to themselves, no symlink on the way: a path below one needs no walk from `/`. */
  private readonly plainDirs = new Set<string>(['/']);
  private readonly named: NamedLibrary[] = [];
  private namedDone = 0;
  private readonly namedSeen = new Set<string>();
  private everything: readonly FileEntry[] | undefined;
  private sorted: readonly FileEntry[] | undefined;

  constructor(
    readonly tree: MergedTree,
    readonly config: ImageConfig,
  ) {
    this.confDirs = ldSoConfDirs(tree);
  }

  has(path: string): boolean {
    return this.kept.has(path);
  }

  /**
   * Every entry of the merged tree in the tree's order, made once per plan: the tree makes an object per entry each
   * time it is walked, and a plan walks it for every --keep, --package, keepTree and the totals.
   */
  entries(): readonly FileEntry[] {
    this.everything ??= [...this.tree.entries()];
    return this.everything;
  }

  /** The same, sorted by path (a directory before what it holds). */
  sortedEntries(): readonly FileEntry[] {
    this.sorted ??= [...this.entries()].sort((a, b) => (a.path < b.path ? -1 : 1));
    return this.sorted;
  }

  /** Keep `path` itself (not what it points to), first reason wins; `own` is its entry when the caller has it. */
  private add(path: string, why: KeepReason, made?: KeptPath['made'], own?: FileEntry): void {
    if (this.kept.has(path)) return;
    const entry = own ?? this.tree.get(path);
    this.kept.set(path, { path, entry, ...why, ...(made && !entry ? { made } : {}) });
    for (let d = parentOf(path); d !== '/' && !this.kept.has(d); d = parentOf(d)) {
      // a parent reached through a symlink (/lib → usr/lib) is the symlink itself: keep its target too
      const parent = this.tree.get(d);
      if (parent?.kind === 'symlink') this.keepPath(d, { reason: 'directory of', by: path });
      else this.kept.set(d, { path: d, entry: parent, reason: 'directory of', by: path });
    }
  }

  /** Something strip makes when the image lacks it (a declared directory, an empty placeholder file). */
  make(path: string, why: KeepReason, made: NonNullable<KeptPath['made']>): void {
    const r = this.tree.resolve(path);
    if (r.ok) this.keepPath(path, why);
    else this.add(path, why, made);
  }

  /**
   * Keep a path as the kernel walks it: each symlink met (the last one too) and the entry it ends at. A regular file
   * is then followed (interpreter, loader, libraries). Returns the resolved path, or undefined when it is missing.
   */
  keepPath(path: string, why: KeepReason, exe?: ElfFacts, visible?: FileEntry): string | undefined {
    const quick = this.resolveBelowPlain(path, visible);
    if (quick !== undefined) {
      if (quick === null) return undefined;
      this.add(path, why, undefined, quick.own);
      if (quick.own.kind === 'hardlink' && quick.own.link) this.keepPath(quick.own.link, { reason: 'hard link target of', by: path });
      if (quick.entry.kind === 'file') this.follow(path, quick.entry, exe);
      return path;
    }
    const r = this.tree.resolve(path);
    if (r.ok && r.hops.length === 0 && r.path === path && r.entry.kind === 'dir') this.plainDirs.add(path);
    for (const hop of r.hops) {
      const link = hop.slice(0, hop.indexOf(' -> '));
      this.add(link, r.ok ? { reason: 'symlink on the way to', by: r.path } : why);
    }
    if (!r.ok) return undefined;
    this.add(r.path, why);
    const own = this.tree.get(r.path);
    if (own?.kind === 'hardlink' && own.link) this.keepPath(own.link, { reason: 'hard link target of', by: r.path });
    if (r.entry.kind === 'file') this.follow(r.path, r.entry, exe);
    return r.path;
  }

  /**
   * The tree's resolve of `path` when its parent is a plain directory (one the tree resolved to itself with no
   * symlink on the way) and its last component is a name that is no symlink: then the kernel's walk ends at `path`
   * itself, and one lookup replaces a walk from `/` that makes an entry per component (a --keep of every path spent
   * most of its plan there). `own` is the entry at `path` (a hard link itself), `entry` what it resolves to, null
   * when `path` is missing; undefined when the whole walk is needed. `visible` is the tree's entry at `path` when the
   * caller walks the tree's entries already.
   */
  private resolveBelowPlain(path: string, visible?: FileEntry): { own: FileEntry; entry: FileEntry } | null | undefined {
    const slash = path.lastIndexOf('/');
    if (slash < 0 || !this.plainDirs.has(slash === 0 ? '/' : path.slice(0, slash))) return undefined;
    const name = path.slice(slash + 1);
    if (name === '' || name === '.' || name === '..') return undefined;
    const own = visible ?? this.tree.get(path);
    if (!own) return null;
    if (own.kind === 'symlink') return undefined;
    if (own.kind === 'hardlink' && own.link) {
      const target = this.tree.get(own.link);
      if (target) return { own, entry: { ...target, path, mode: own.mode, uid: own.uid, gid: own.gid } };
    }
    return { own, entry: own };
  }

  /** Keep a whole directory tree as it is (every entry below it, symlinks followed). */
  keepTree(dir: string, why: KeepReason): void {
    const at = this.keepPath(dir, why);
    if (at === undefined) return;
    const prefix = at === '/' ? '/' : at + '/';
    for (const e of this.entries()) if (e.path.startsWith(prefix)) this.keepPath(e.path, { reason: 'inside', by: at });
  }

  /** A program named as the runtime names it (a bare name on PATH, a relative path against WorkingDir). */
  keepProgram(name: string, why: KeepReason): string | undefined {
    const found = findExecutable(this.tree, this.config, name);
    if (!found.ok) {
      this.problems.push({ path: name, message: found.error });
      return undefined;
    }
    return this.keepPath(found.path, why);
  }

  private follow(path: string, entry: FileEntry, exe?: ElfFacts): void {
    const probe = entry.probe;
    // most kept files are neither scripts nor ELF files: nothing to follow, and no need to remember them
    if (probe?.shebang === undefined && !probe?.elf) return;
    if (this.followed.has(path)) return;
    this.followed.add(path);
    if (probe?.shebang !== undefined) return this.followScript(path, probe.shebang);
    if (probe?.elf) this.followElf(path, probe.elf, exe ?? probe.elf);
  }

  private followScript(path: string, line: string): void {
    const [interp, arg] = line.split(/\s+/);
    if (!interp) return;
    const why = { reason: '#! interpreter of', by: path };
    if (this.keepPath(interp, why) === undefined) this.problems.push({ path, message: `${path}: its #! interpreter ${interp} is missing` });
    else if (interp === '/usr/bin/env' && arg && !arg.startsWith('-')) this.keepProgram(arg, { reason: 'program /usr/bin/env runs for', by: path });
  }

  private followElf(path: string, elf: ElfFacts, exe: ElfFacts): void {
    if (elf.interpreter && this.keepPath(elf.interpreter, { reason: 'loader (PT_INTERP) of', by: path }) === undefined) {
      this.problems.push({ path, message: `${path}: its ELF interpreter ${elf.interpreter} is missing` });
    }
    const s: LibSearch = { tree: this.tree, config: this.config, exe, confDirs: this.confDirs };
    for (const name of elf.needed) {
      const lib = findLibrary(s, elf, path, name);
      if (!lib.ok) {
        this.problems.push({ path, message: `${path}: needs ${name}, found in none of ${[...new Set(lib.candidates.map(parentOf))].slice(0, 4).join(', ')}` });
        continue;
      }
      // the executable's RPATH applies to its libraries too (ld.so(8)): its facts travel down the tree
      this.keepPath(lib.opened, { reason: 'needed by', by: path }, exe);
    }
    for (const name of elf.libraryNames ?? []) this.named.push({ name, by: path, obj: elf, exe });
  }

  /**
   * The library names found in kept files since the last call that are not in the closure already: each looked up as
   * the loader would for a dlopen from that file, and with `keep` kept (and followed, which may name more). One
   * entry per name and library.
   */
  resolveNamed(keep: boolean): void {
    for (; this.namedDone < this.named.length; this.namedDone++) {
      const n = this.named[this.namedDone]!;
      const lib = findLibrary({ tree: this.tree, config: this.config, exe: n.exe, confDirs: this.confDirs }, n.obj, n.by, n.name);
      const id = `${n.name}\0${lib.ok ? lib.path : ''}`;
      if ((lib.ok && (this.kept.has(lib.opened) || this.kept.has(lib.path))) || this.namedSeen.has(id)) continue;
      this.namedSeen.add(id);
      if (lib.ok && keep) this.keepPath(lib.opened, { reason: 'library name (a dlopen) in', by: n.by }, n.exe);
      this.maybeNeeded.push({ name: n.name, by: n.by, ...(lib.ok ? { path: lib.opened } : {}), kept: lib.ok && keep });
    }
  }

  /** The value of an environment variable of the config. */
  env(name: string): string | undefined {
    return envValue(this.config, name);
  }
}
