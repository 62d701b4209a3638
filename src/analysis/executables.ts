import type { ImageConfig } from '../model/imageTypes.js';
import { joinPath } from '../model/paths.js';
import type { MergedTree, Resolution } from './mergedTree.js';

/** Docker's PATH when the image sets none. */
export const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export function envValue(config: ImageConfig, name: string): string | undefined {
  const hit = [...config.env].reverse().find((e) => e.startsWith(name + '='));
  return hit?.slice(name.length + 1);
}

/** What the runtime executes: Entrypoint followed by Cmd. */
export function commandArgv(config: ImageConfig): string[] {
  return [...(config.entrypoint ?? []), ...(config.cmd ?? [])];
}

/** Docker stores `CMD foo` (shell form) as ["/bin/sh", "-c", "foo"]. */
export function isShellForm(argv: readonly string[] | null): boolean {
  return !!argv && argv.length >= 2 && (argv[0] === '/bin/sh' || argv[0] === 'sh') && argv[1] === '-c';
}

export type Lookup =
  | { readonly ok: true; readonly resolution: Extract<Resolution, { ok: true }>; readonly path: string }
  | { readonly ok: false; readonly error: string; readonly tried: readonly string[] };

/**
 * Find the program as the runtime does: a name with a slash is a path (relative to WorkingDir), a bare name is
 * searched on the config's PATH. The result is resolved through symlinks inside the image.
 */
export function findExecutable(tree: MergedTree, config: ImageConfig, name: string): Lookup {
  if (name.includes('/')) {
    const path = name.startsWith('/') ? name : joinPath(config.workingDir || '/', name);
    const r = tree.resolve(path);
    if (!r.ok) {
      const why = r.reason === 'loop' ? 'too many levels of symbolic links' : 'no such file or directory';
      return { ok: false, error: `exec: "${name}": stat ${name}: ${why}`, tried: [path] };
    }
    return { ok: true, resolution: r, path };
  }
  const dirs = (envValue(config, 'PATH') ?? DEFAULT_PATH).split(':').filter(Boolean);
  for (const d of dirs) {
    const path = joinPath(d, name);
    const r = tree.resolve(path);
    if (r.ok && r.entry.kind !== 'dir') return { ok: true, resolution: r, path };
  }
  return { ok: false, error: `exec: "${name}": executable file not found in $PATH`, tried: dirs.map((d) => joinPath(d, name)) };
}
