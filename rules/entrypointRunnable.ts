import { commandArgv, findExecutable, isShellForm } from '../src/analysis/executables.js';
import { ldSoConfDirs, searchDirs, type LibSearch } from '../src/analysis/libraryPath.js';
import { joinPath, parentOf } from '../src/model/paths.js';
import type { ElfFacts } from '../src/model/entryTypes.js';
import type { Finding, Rule, RuleContext } from './support/types.js';

function checkElf(ctx: RuleContext, exePath: string, exe: ElfFacts, program: string): Finding[] {
  const out: Finding[] = [];
  const tree = ctx.tree;
  if (exe.interpreter) {
    const r = tree.resolve(exe.interpreter);
    if (!r.ok || r.entry.kind !== 'file') {
      out.push({
        message: `exec ${program}: no such file or directory — its ELF interpreter ${exe.interpreter} is missing from the image${r.ok ? '' : ` (${r.at} does not exist)`}`,
        path: exePath,
        fix: `add the dynamic loader ${exe.interpreter} and the libraries (or build a static binary)`,
      });
    }
  }
  if (!exe.interpreter && exe.needed.length === 0) return out;
  if (exe.incomplete) return out;
  const s: LibSearch = { tree, config: ctx.image.config, exe, confDirs: ldSoConfDirs(tree) };
  const done = new Set<string>();
  const loaded = new Map<string, Loaded>();
  const queue: Array<{ name: string; obj: ElfFacts; from: string }> = exe.needed.map((name) => ({ name, obj: exe, from: exePath }));
  while (queue.length > 0) {
    const { name, obj, from } = queue.shift()!;
    if (done.has(name)) continue;
    done.add(name);
    const candidates = name.includes('/') ? [name] : searchDirs(s, obj, from).map((d) => joinPath(d, name));
    let found: Loaded | undefined;
    for (const c of candidates) {
      const r = tree.resolve(c);
      if (r.ok && r.entry.kind === 'file') {
        found = { opened: c, path: r.path, facts: r.entry.probe?.elf };
        break;
      }
    }
    if (!found) {
      out.push({
        message: `${program}: error while loading shared libraries: ${name}: cannot open shared object file: No such file or directory (needed by ${from})`,
        path: from,
        fix: `add ${name} to the image in one of ${[...new Set(candidates.map(parentOf))].slice(0, 4).join(', ')}, or link statically`,
      });
      continue;
    }
    loaded.set(name, found);
    for (const n of found.facts?.needed ?? []) queue.push({ name: n, obj: found.facts!, from: found.path });
  }
  return [...out, ...versionFindings(program, [{ opened: exePath, path: exePath, facts: exe }, ...loaded.values()], loaded)];
}

/** A library as the loader found it: the name it opened (a search candidate) and the file that is. */
interface Loaded {
  readonly opened: string;
  readonly path: string;
  readonly facts: ElfFacts | undefined;
}

/**
 * Every version an object's DT_VERNEED asks of a loaded library must be in that library's DT_VERDEF, as the loader
 * checks before it runs anything. A library without version definitions satisfies any (glibc only warns then).
 */
function versionFindings(program: string, objects: readonly Loaded[], byName: ReadonlyMap<string, Loaded>): Finding[] {
  const out: Finding[] = [];
  for (const obj of objects) {
    for (const need of obj.facts?.versionNeeds ?? []) {
      const lib = byName.get(need.file);
      const defined = lib?.facts?.versionDefines;
      if (!lib || !defined) continue;
      for (const v of need.versions) {
        if (defined.includes(v)) continue;
        out.push({
          message: `${program}: ${lib.opened}: version \`${v}' not found (required by ${obj.path})`,
          path: obj.path,
          fix: `build ${obj.path} against the image's ${need.file} (it defines up to ${newest(defined)}), or base the image on a release that provides ${v}`,
        });
      }
    }
  }
  return out;
}

/** The highest version name of a family like GLIBC_2.36, for the fix text. */
function newest(defined: readonly string[]): string {
  const key = (v: string) => (v.match(/\d+/g) ?? []).map(Number);
  return [...defined].sort((a, b) => {
    const [x, y] = [key(a), key(b)];
    for (let i = 0; i < Math.max(x.length, y.length); i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) - (y[i] ?? 0);
    return 0;
  }).at(-1) ?? '(none)';
}

/** A static "will it start" check of the exec-form command, down to the dynamic loader and every library. */
export const entrypointRunnable: Rule = {
  meta: {
    id: 'entrypoint-runnable',
    title: 'the command cannot start',
    severity: 'error',
    docs:
      'Resolves the command the runtime executes (Entrypoint then Cmd; a bare name on the config PATH, a relative ' +
      'path against WorkingDir) through symlinks inside the final filesystem, and checks what execve would need: the ' +
      'file exists, is a regular executable file, a script\'s #! interpreter exists, and an ELF binary\'s dynamic ' +
      'loader (PT_INTERP) and every DT_NEEDED library, recursively, are found on the loader\'s search path ' +
      '(RPATH/RUNPATH with $ORIGIN, LD_LIBRARY_PATH, /etc/ld.so.conf, the multiarch and default directories), and ' +
      'that every symbol version each of them needs (DT_VERNEED, e.g. GLIBC_2.34 of libc.so.6) is defined by the ' +
      'library found (DT_VERDEF) — a binary built on a newer distribution than its image. Each ' +
      'missing piece is reported with the error the runtime would print. Typical of FROM scratch images of ' +
      'dynamically linked programs. Fix: copy the loader and libraries in, or build a static binary.',
    related: [],
    tags: ['correctness', 'reliability'],
    precision: 'high',
  },
  check(ctx) {
    const config = ctx.image.config;
    const argv = commandArgv(config);
    if (argv.length === 0) {
      return [{ message: 'no command: neither Entrypoint nor Cmd is set (docker run fails: no command specified)', configField: 'config.Cmd', fix: 'add CMD ["/path/to/program"] or ENTRYPOINT' }];
    }
    const field = config.entrypoint?.length ? 'config.Entrypoint' : 'config.Cmd';
    // a shell-form command needs /bin/sh: shell-form-on-scratch reports it when missing
    if (isShellForm(argv) && !ctx.tree.resolve('/bin/sh').ok) return [];
    const program = argv[0]!;
    const found = findExecutable(ctx.tree, config, program);
    if (!found.ok) return [{ message: found.error, configField: field, fix: `add ${program} to the image or correct the path (tried ${found.tried.slice(0, 4).join(', ')})` }];
    const { entry } = found.resolution;
    const at = found.resolution.path;
    const layer = ctx.layerRef(entry.layer);
    if (entry.kind !== 'file') {
      return [{ message: `exec: "${program}": ${at} is a ${entry.kind === 'dir' ? 'directory' : entry.kind}, not an executable file: permission denied`, path: at, configField: field, fix: 'point the command at the program file', layer }];
    }
    if ((entry.mode & 0o111) === 0) {
      return [{ message: `exec: "${program}": permission denied (${at} has mode ${entry.mode.toString(8).padStart(4, '0')}, no execute bit)`, path: at, configField: field, fix: `chmod +x ${at} in the layer that adds it`, layer }];
    }
    const probe = entry.probe;
    if (probe?.shebang !== undefined) {
      const [interp, arg] = probe.shebang.split(/\s+/);
      if (!interp) return [{ message: `exec ${program}: exec format error (empty #! line)`, path: at, fix: 'give the script a #! interpreter line', layer }];
      if (interp === '/usr/bin/env' && arg) {
        const r = ctx.tree.resolve('/usr/bin/env');
        if (!r.ok) return [{ message: `exec ${program}: no such file or directory — its interpreter /usr/bin/env is missing`, path: at, fix: 'add /usr/bin/env or name the interpreter directly', layer }];
        const target = findExecutable(ctx.tree, config, arg);
        return target.ok ? [] : [{ message: `/usr/bin/env: '${arg}': No such file or directory (the interpreter of ${at})`, path: at, fix: `add ${arg} to the image`, layer }];
      }
      const r = ctx.tree.resolve(interp);
      if (!r.ok || r.entry.kind !== 'file') return [{ message: `exec ${program}: no such file or directory — its #! interpreter ${interp} is missing`, path: at, fix: `add ${interp} to the image or change the #! line`, layer }];
      return [];
    }
    if (probe?.elf) return checkElf(ctx, at, probe.elf, program).map((f) => ({ ...f, configField: field, layer }));
    return [{ message: `exec ${program}: exec format error (${at} is neither an ELF binary nor a #! script)`, path: at, configField: field, fix: 'point the command at a program, or add a #! line to the script', layer }];
  },
};
