import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative } from 'node:path';
import { ConfigError } from '../errors.js';
import type { SourceLine } from './check.js';
import { ignoreLines } from './configLines.js';
import { diffGateConfigFrom, type DiffGateConfig, type DiffOverrides } from './diffGateConfig.js';
import { parseRatio, parseSize, type Threshold } from './thresholdValue.js';

/** dive's three thresholds, after defaults, the file and the CLI. */
export interface GateConfig {
  readonly lowestEfficiency: Threshold;
  readonly highestWastedBytes: Threshold;
  readonly highestUserWastedPercent: Threshold;
  /** Everything else under `rules:` (image rule settings, read by the rules engine). */
  readonly ruleSettings: Readonly<Record<string, unknown>>;
  readonly ignore: readonly unknown[];
  /** Where each `ignore` entry is written in the file (the reports point a stale or expired one at it). */
  readonly ignoreSources?: readonly (SourceLine | undefined)[];
  /** The `diff:` section: what `fathom diff` gates on. */
  readonly diff: DiffGateConfig;
  /** Which file was read, if any. */
  readonly file?: string;
}

/** dive's defaults: a key that is absent or commented out takes these. */
export const DEFAULTS = { lowestEfficiency: '0.9', highestWastedBytes: 'disabled', highestUserWastedPercent: '0.1' } as const;

const THRESHOLD_KEYS = ['lowestEfficiency', 'highestWastedBytes', 'highestUserWastedPercent'] as const;
type ThresholdKey = (typeof THRESHOLD_KEYS)[number];

export type ThresholdOverrides = Partial<Record<ThresholdKey, string>>;

const SEARCH_PLACES = ['.dive-ci', '.dive-ci.yaml', '.dive-ci.yml', '.dive-ci.json', 'package.json'];

type Explorer = ReturnType<typeof import('cosmiconfig').cosmiconfig>;
type YamlModule = typeof import('yaml');
let explorer: Promise<Explorer> | undefined;
let yamlModule: Promise<YamlModule> | undefined;

// both are CommonJS: node's loader (and tsx) name their exports, esbuild's bundle has them as the default only
export const loadYaml = (): Promise<YamlModule> => (yamlModule ??= import('yaml').then((y) => ('parseDocument' in y ? y : (y as { default: YamlModule }).default)));

/**
 * cosmiconfig and the YAML parser, loaded when there is a file to read: together they are a third of the code a
 * review loads, and most runs have no .dive-ci.
 */
function configExplorer(): Promise<Explorer> {
  explorer ??= Promise.all([import('cosmiconfig'), loadYaml()]).then(([c, y]) => {
    const cosmiconfig = c.cosmiconfig ?? c.default.cosmiconfig;
    const parseYaml = y.parse;
    const yamlLoader = (filepath: string, content: string): unknown => {
      try {
        return parseYaml(content) ?? {};
      } catch (err) {
        throw new ConfigError(`${filepath}: invalid YAML (${(err as Error).message.split('\n')[0]})`);
      }
    };
    return cosmiconfig('dive-ci', {
      searchPlaces: SEARCH_PLACES,
      packageProp: 'dive-ci',
      loaders: { noExt: yamlLoader, '.yaml': yamlLoader, '.yml': yamlLoader },
      searchStrategy: 'project',
    });
  });
  return explorer;
}

/**
 * Whether cosmiconfig's search from `cwd` could find a configuration: the directories it visits (up to the first
 * holding a package.json or package.yaml), a .dive-ci file in one of them or a package.json with a "dive-ci" key
 * (or one that does not parse, for cosmiconfig to report).
 */
function mayFindConfig(cwd: string): boolean {
  for (let dir = cwd; ; dir = dirname(dir)) {
    for (const name of SEARCH_PLACES.slice(0, -1)) if (existsSync(join(dir, name))) return true;
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        const parsed = JSON.parse(readFileSync(pkg, 'utf8')) as unknown;
        return parsed !== null && typeof parsed === 'object' && 'dive-ci' in parsed;
      } catch {
        return true;
      }
    }
    if (existsSync(join(dir, 'package.yaml')) || dirname(dir) === dir) return false;
  }
}

function parseThreshold(key: ThresholdKey, v: unknown): Threshold {
  return key === 'highestWastedBytes' ? parseSize(key, v) : parseRatio(key, v);
}

/** A key of a mapping as dive (viper) finds it: case-insensitively (`LowestEfficiency`, `Rules`). */
function lookup(map: Readonly<Record<string, unknown>>, key: string): { found: boolean; value: unknown } {
  const k = Object.keys(map).find((x) => x.toLowerCase() === key.toLowerCase());
  return k === undefined ? { found: false, value: undefined } : { found: true, value: map[k] };
}

const asMapping = (v: unknown) => (v && typeof v === 'object' && !Array.isArray(v) ? v : {}) as Record<string, unknown>;

/** dive refuses fractions outside 0..1 ("config value is outside allowed range (0-1)"). */
function inRange(key: ThresholdKey, t: Threshold): Threshold {
  if (key !== 'highestWastedBytes' && t.enabled && (t.value < 0 || t.value > 1)) {
    throw new ConfigError(`rules.${key}: ${t.raw} is outside the allowed range 0..1 (a fraction, as in dive)`);
  }
  return t;
}

/** Build the gate's configuration from a parsed `.dive-ci` object plus CLI overrides (which win). */
export function gateConfigFrom(raw: unknown, overrides: ThresholdOverrides, file?: string, diffOverrides: DiffOverrides = {}): GateConfig {
  try {
    return readGateConfig(asMapping(raw), overrides, file, diffOverrides);
  } catch (err) {
    // a bad value in the file names the file; a bad flag is named by its key alone
    if (err instanceof ConfigError && file !== undefined && !err.message.startsWith(file)) throw new ConfigError(`${file}: ${err.message}`);
    throw err;
  }
}

function readGateConfig(root: Record<string, unknown>, overrides: ThresholdOverrides, file: string | undefined, diffOverrides: DiffOverrides): GateConfig {
  const rules = asMapping(lookup(root, 'rules').value);
  const pick = (key: ThresholdKey): Threshold => {
    if (overrides[key] !== undefined) return parseCliThreshold(key, overrides[key]);
    // as dive: a key absent, commented out or present with no value (`lowestEfficiency:`) takes the default
    const { found, value } = lookup(rules, key);
    const empty = value === null || value === undefined || (typeof value === 'string' && value.trim() === '');
    return inRange(key, parseThreshold(key, found && !empty ? value : DEFAULTS[key]));
  };
  const thresholdKeys = new Set(THRESHOLD_KEYS.map((k) => k.toLowerCase()));
  const ruleSettings: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(rules)) if (!thresholdKeys.has(k.toLowerCase())) ruleSettings[k] = v;
  const ignore = lookup(root, 'ignore').value;
  return {
    lowestEfficiency: pick('lowestEfficiency'),
    highestWastedBytes: pick('highestWastedBytes'),
    highestUserWastedPercent: pick('highestUserWastedPercent'),
    ruleSettings,
    ignore: Array.isArray(ignore) ? ignore : [],
    diff: diffGateConfigFrom(lookup(root, 'diff').value, diffOverrides),
    ...(file ? { file } : {}),
  };
}

/** A flag's error says which flag (`--lowestEfficiency`), not the file's key. */
function parseCliThreshold(key: ThresholdKey, v: string): Threshold {
  try {
    return inRange(key, parseThreshold(key, v));
  } catch (err) {
    if (err instanceof ConfigError) throw new ConfigError(`--${key}: ${err.message.replace(`rules.${key}: `, '')}`);
    throw err;
  }
}

/**
 * Find and read the configuration: `--ci-config FILE` if given (missing is an error), else cosmiconfig's search
 * from `cwd` up to the project root (.dive-ci, .dive-ci.yaml|yml|json, a "dive-ci" key in package.json).
 */
export async function loadGateConfig(opts: { cwd: string; explicit?: string; overrides: ThresholdOverrides; diffOverrides?: DiffOverrides }): Promise<GateConfig> {
  let result;
  try {
    if (opts.explicit !== undefined) {
      if (!existsSync(opts.explicit)) throw new ConfigError(`${opts.explicit}: CI config file not found (--ci-config)`);
      result = await (await configExplorer()).load(opts.explicit);
    } else if (mayFindConfig(opts.cwd)) {
      result = await (await configExplorer()).search(opts.cwd);
    }
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    throw new ConfigError(`cannot read the CI config: ${(err as Error).message.split('\n')[0]}`);
  }
  const config = gateConfigFrom(result?.config, opts.overrides, result?.filepath, opts.diffOverrides);
  if (!result?.filepath || config.ignore.length === 0) return config;
  return { ...config, ignoreSources: await ignoreSourcesOf(result.filepath, opts.cwd) };
}

/** The ignore entries' lines, the file named as the user would: relative to the working directory when inside it. */
async function ignoreSourcesOf(filepath: string, cwd: string): Promise<Array<SourceLine | undefined>> {
  const rel = relative(cwd, filepath);
  const file = rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : filepath;
  const keyPath = basename(filepath) === 'package.json' ? ['dive-ci'] : [];
  return ignoreLines(await loadYaml(), readFileSync(filepath, 'utf8'), file, keyPath);
}
