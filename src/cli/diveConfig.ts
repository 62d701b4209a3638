import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadYaml } from '../ci/gateConfig.js';
import { ConfigError } from '../errors.js';

/** Where to look: the process's view of it, passed in so a test (or a child's environment) can say. */
export interface DiveConfigPlaces {
  /** `--config FILE`. */
  readonly explicit?: string | undefined;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly home: string;
}

/** The first `*.yaml` or `*.yml` in DIR/dive, in name order (Go's os.ReadDir sorts, as dive's findInPath reads it). */
function firstYamlIn(dir: string): string | undefined {
  let names: string[];
  try {
    names = readdirSync(join(dir, 'dive')).sort();
  } catch {
    return undefined;
  }
  const found = names.find((n) => n.endsWith('.yaml') || n.endsWith('.yml'));
  return found === undefined ? undefined : join(dir, 'dive', found);
}

/**
 * dive's config file, looked up as dive 0.12 does (cmd/root.go, initConfig and getDefaultCfgFile): `--config FILE`;
 * else (dive 0.13's) `DIVE_CONFIG`; else the first `dive/*.yaml|*.yml` under `$XDG_CONFIG_HOME`, each directory of
 * `$XDG_CONFIG_DIRS`, then `~/.config`; else `~/.dive.yaml`. An unset XDG variable is skipped (dive 0.12 joins the
 * empty string with `dive` and so reads `./dive/*.yaml` of the working directory, which is not a config location).
 * `required` is whether the file must exist: one the user named must, the default `~/.dive.yaml` need not.
 */
export function diveConfigPath(p: DiveConfigPlaces): { file: string; required: boolean } {
  if (p.explicit !== undefined) return { file: p.explicit, required: true };
  const fromEnv = p.env['DIVE_CONFIG'];
  if (fromEnv !== undefined && fromEnv !== '') return { file: fromEnv, required: true };
  const dirs = [p.env['XDG_CONFIG_HOME'] ?? '', ...(p.env['XDG_CONFIG_DIRS'] ?? '').split(':'), join(p.home, '.config')];
  for (const dir of dirs.filter((d) => d !== '')) {
    const file = firstYamlIn(dir);
    if (file) return { file, required: false };
  }
  return { file: join(p.home, '.dive.yaml'), required: false };
}

/**
 * The parsed YAML of dive's config file, or undefined when there is none. YAML 1.1, as dive's yaml.v2 reads it
 * (`yes`, `on` are booleans). A file that cannot be read or does not parse is one error naming the file.
 */
export async function readDiveConfig(p: DiveConfigPlaces): Promise<{ file: string; raw: unknown } | undefined> {
  const { file, required } = diveConfigPath(p);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (!required && code === 'ENOENT') return undefined;
    throw new ConfigError(`${file}: cannot read the dive config (${code ?? (err as Error).message})`);
  }
  // loaded only when there is a file: most runs have none
  const { parse } = await loadYaml();
  try {
    return { file, raw: parse(text, { version: '1.1' }) };
  } catch (err) {
    throw new ConfigError(`${file}: invalid YAML (${(err as Error).message.split('\n')[0]})`);
  }
}
