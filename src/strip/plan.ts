import picomatch from 'picomatch';
import { commandArgv, isShellForm } from '../analysis/executables.js';
import { FILE_LIST_LIMIT } from '../layer/contentProbe.js';
import type { Review } from '../review/review.js';
import { parentOf } from '../model/paths.js';
import { Closure, type KeptPath, type MaybeNeeded } from './closure.js';
import { applyProfiles, type ProfileName, type ProfileReport } from './profiles.js';

export interface StripOptions {
  /** --exec PATH: more programs to keep with their closure. */
  readonly exec?: readonly string[];
  /** --keep GLOB: files and directories kept as they are. */
  readonly keep?: readonly string[];
  /** --package NAME: every file the package installed (dpkg's lists, apk's installed db). */
  readonly packages?: readonly string[];
  /** The profiles allowed (all unless --no-NAME). */
  readonly profiles: ReadonlySet<ProfileName>;
  /** --keep-shell: keep /bin/sh for a shell-form command. */
  readonly keepShell?: boolean;
  /** --keep-dlopen: keep the libraries kept files name as strings (what they may dlopen). */
  readonly keepDlopen?: boolean;
}

export interface DroppedPath {
  readonly path: string;
  readonly size: number;
}

export interface StripTotals {
  readonly beforeBytes: number;
  readonly afterBytes: number;
  readonly beforeFiles: number;
  readonly afterFiles: number;
}

export interface StripPlan {
  /** Every path of the stripped filesystem with its reason, sorted by path. */
  readonly kept: readonly KeptPath[];
  readonly dropped: readonly DroppedPath[];
  readonly profiles: readonly ProfileReport[];
  readonly totals: StripTotals;
  /** Why strip will not write an image (the result, or the image itself, could not start); empty when it can. */
  readonly refusals: readonly string[];
  /** The roots' labels, in the order given (`Cmd nginx`, `--exec /bin/bash` …), for the image's history. */
  readonly roots: readonly string[];
  /** Library names kept files hold as strings and the closure lacks (kept with --keep-dlopen). */
  readonly maybeNeeded: readonly MaybeNeeded[];
}

/** A package's paths, and the file list they came from when it was longer than the layer reader keeps. */
interface PackagePaths {
  readonly paths: string[];
  readonly cut?: string;
}

/** The text of a file list, and whether the layer reader kept less of it than the file holds. */
function listText(c: Closure, path: string): { text: string; cut: boolean } | undefined {
  const text = c.tree.text(path);
  if (text === undefined) return undefined;
  const r = c.tree.resolve(path);
  return { text, cut: r.ok && Buffer.byteLength(text) < r.entry.size };
}

/** dpkg's file lists (`/var/lib/dpkg/info/NAME[:ARCH].list`), else apk's installed db: the package's paths. */
function packagePaths(c: Closure, name: string): PackagePaths | undefined {
  for (const list of [`/var/lib/dpkg/info/${name}.list`, ...c.entries().map((e) => e.path).filter((p) => p.startsWith(`/var/lib/dpkg/info/${name}:`) && p.endsWith('.list'))]) {
    const got = listText(c, list);
    if (got !== undefined) return { paths: got.text.split('\n').filter((l) => l.startsWith('/') && l !== '/.'), ...(got.cut ? { cut: list } : {}) };
  }
  const DB = '/lib/apk/db/installed';
  const apk = listText(c, DB);
  if (apk === undefined) return undefined;
  for (const stanza of apk.text.split(/\n\n+/)) {
    if (!stanza.split('\n').includes(`P:${name}`)) continue;
    const out: string[] = [];
    let dir = '';
    for (const line of stanza.split('\n')) {
      if (line.startsWith('F:')) out.push((dir = '/' + line.slice(2)));
      else if (line.startsWith('R:')) out.push(`${dir}/${line.slice(2)}`);
    }
    return { paths: out, ...(apk.cut ? { cut: DB } : {}) };
  }
  return apk.cut ? { paths: [], cut: DB } : undefined;
}

/** The command's roots, with the refusal for a shell-form command and no shell. */
function commandRoots(c: Closure, opts: StripOptions, roots: string[], refusals: string[]): void {
  const config = c.config;
  const argv = commandArgv(config);
  const field = config.entrypoint?.length ? 'Entrypoint' : 'Cmd';
  if (argv.length === 0) return;
  if (isShellForm(argv)) {
    if (!opts.keepShell) {
      refusals.push(`the ${field} is in shell form (${argv.slice(0, 3).join(' ')}): the stripped image would need /bin/sh — keep it with --keep-shell, or use the exec form`);
      return;
    }
    roots.push(`${field} ${argv[0]} (--keep-shell)`);
    c.keepProgram(argv[0]!, { reason: `${field} (shell form, --keep-shell)` });
    // the program the shell line starts, when its first word names one
    const first = argv[2]?.trim().split(/\s+/)[0];
    if (first && /^[\w./-]+$/.test(first)) c.keepProgram(first, { reason: `${field} (run by the shell)` });
    return;
  }
  roots.push(`${field} ${argv[0]}`);
  c.keepProgram(argv[0]!, { reason: field });
}

function userRoots(c: Closure, opts: StripOptions, roots: string[], refusals: string[]): void {
  for (const p of opts.exec ?? []) {
    roots.push(`--exec ${p}`);
    c.keepProgram(p, { reason: `--exec ${p}` });
  }
  for (const glob of opts.keep ?? []) {
    roots.push(`--keep ${glob}`);
    const match = picomatch(glob, { dot: true });
    // a matched directory is kept with everything below it: one walk, each entry asks whether it or a parent matched
    const matched = new Set<string>();
    const entries = c.sortedEntries();
    for (const e of entries) {
      const inside = matched.has(parentOf(e.path));
      if (!inside && !match(e.path)) continue;
      if (e.kind === 'dir') matched.add(e.path);
      c.keepPath(e.path, inside ? { reason: 'inside', by: parentOf(e.path) } : { reason: `--keep ${glob}` }, undefined, e);
    }
    if (matched.size === 0 && !entries.some((e) => match(e.path))) refusals.push(`--keep ${glob}: no path of the image matches`);
  }
  for (const name of opts.packages ?? []) {
    roots.push(`--package ${name}`);
    const found = packagePaths(c, name);
    if (!found) refusals.push(`--package ${name}: no such package in the image's dpkg lists (/var/lib/dpkg/info) or apk db`);
    else if (found.cut) refusals.push(`--package ${name}: ${found.cut} is longer than the ${FILE_LIST_LIMIT >> 20} MiB fathom reads of it, so the package's files are not all known`);
    for (const p of found?.paths ?? []) if (c.tree.resolve(p, false).ok) c.keepPath(p, { reason: `--package ${name}` });
  }
}

function totals(review: Review, c: Closure, kept: readonly KeptPath[]): { totals: StripTotals; dropped: DroppedPath[] } {
  // `kept` is the closure's map's values: the map answers for it (no second set of every kept path)
  const keptSet = c.kept;
  const dropped: DroppedPath[] = [];
  let beforeBytes = 0;
  let beforeFiles = 0;
  for (const e of c.entries()) {
    if (e.kind === 'dir') continue;
    beforeFiles++;
    beforeBytes += e.size;
    if (!keptSet.has(e.path)) dropped.push({ path: e.path, size: e.size });
  }
  const files = kept.filter((k) => k.entry ? k.entry.kind !== 'dir' : k.made?.kind === 'file');
  const sizeOf = (k: KeptPath) => {
    if (k.entry?.kind !== 'hardlink') return k.entry?.kind === 'file' ? k.entry.size : 0;
    const r = review.tree.resolve(k.path);
    return r.ok ? r.entry.size : 0;
  };
  const afterBytes = files.reduce((s, k) => s + sizeOf(k), 0);
  dropped.sort((a, b) => b.size - a.size || (a.path < b.path ? -1 : 1));
  return { totals: { beforeBytes, afterBytes, beforeFiles, afterFiles: files.length }, dropped };
}

/**
 * The stripped filesystem, statically: the closure of the roots, the profiles the evidence calls for, and why each
 * path is kept. Refuses (with the reason) when the image cannot start as it is, or the result could not.
 */
export function planStrip(review: Review, opts: StripOptions): StripPlan {
  const c = new Closure(review.tree, review.image.config);
  const roots: string[] = [];
  const refusals: string[] = [];
  const broken = review.findings.get('entrypoint-runnable') ?? [];
  if (broken.length > 0) refusals.push(`the image cannot start as it is: ${broken[0]!.message} — strip keeps what the program needs, it cannot supply what is missing`);
  commandRoots(c, opts, roots, refusals);
  userRoots(c, opts, roots, refusals);
  if (roots.length === 0) refusals.push('nothing to keep: the image has no Entrypoint or Cmd; name programs with --exec or paths with --keep');
  // a dlopen'd library may be the evidence a profile wants (a TLS library): keep them first, then what profiles add
  if (opts.keepDlopen) c.resolveNamed(true);
  const profiles = applyProfiles(c, opts.profiles);
  c.resolveNamed(opts.keepDlopen === true);
  for (const p of c.problems) refusals.push(p.message);
  const kept = [...c.kept.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { kept, profiles, refusals: [...new Set(refusals)], roots, maybeNeeded: c.maybeNeeded, ...totals(review, c, kept) };
}

/**
 * A plan's kept paths by path, made once per plan: `--plan` and `--json` ask whyKept for every kept path, and a map
 * per call made them quadratic (minutes for 40,000 kept paths). A plan is not changed once made.
 */
const keptByPath = new WeakMap<StripPlan, ReadonlyMap<string, KeptPath>>();

/** `--why PATH`: the chain from a kept path to its root (`libc.so.6 ← needed by /usr/sbin/nginx ← Cmd`). */
export function whyKept(plan: StripPlan, path: string): string[] | undefined {
  let byPath = keptByPath.get(plan);
  if (!byPath) keptByPath.set(plan, (byPath = new Map(plan.kept.map((k) => [k.path, k]))));
  let item = byPath.get(path);
  if (!item) return undefined;
  const chain = [path];
  const seen = new Set<string>();
  while (item) {
    if (!item.by || seen.has(item.by)) {
      chain.push(item.reason);
      break;
    }
    seen.add(item.by);
    chain.push(`${item.reason} ${item.by}`);
    item = byPath.get(item.by);
  }
  return chain;
}
