import { existsSync } from 'node:fs';
import { cosmiconfig } from 'cosmiconfig';
import { parse as parseYaml } from 'yaml';
import { ConfigError } from '../errors.js';
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

function yamlLoader(filepath: string, content: string): unknown {
  try {
    return parseYaml(content) ?? {};
  } catch (err) {
    throw new ConfigError(`${filepath}: invalid YAML (${(err as Error).message.split('\n')[0]})`);
  }
}

const explorer = cosmiconfig('dive-ci', {
  searchPlaces: ['.dive-ci', '.dive-ci.yaml', '.dive-ci.yml', '.dive-ci.json', 'package.json'],
  packageProp: 'dive-ci',
  loaders: { noExt: yamlLoader, '.yaml': yamlLoader, '.yml': yamlLoader },
  searchStrategy: 'project',
});

function parseThreshold(key: ThresholdKey, v: unknown): Threshold {
  return key === 'highestWastedBytes' ? parseSize(key, v) : parseRatio(key, v);
}

/** Build the gate's configuration from a parsed `.dive-ci` object plus CLI overrides (which win). */
export function gateConfigFrom(raw: unknown, overrides: ThresholdOverrides, file?: string, diffOverrides: DiffOverrides = {}): GateConfig {
  const root = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const rules = (root['rules'] && typeof root['rules'] === 'object' ? root['rules'] : {}) as Record<string, unknown>;
  const pick = (key: ThresholdKey): Threshold => {
    if (overrides[key] !== undefined) return parseThreshold(key, overrides[key]);
    // a key present with no value (`highestWastedBytes:`) disables; an absent or commented-out key takes the default
    if (key in rules) return parseThreshold(key, rules[key]);
    return parseThreshold(key, DEFAULTS[key]);
  };
  const ruleSettings: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(rules)) if (!(THRESHOLD_KEYS as readonly string[]).includes(k)) ruleSettings[k] = v;
  const ignore = Array.isArray(root['ignore']) ? root['ignore'] : [];
  return {
    lowestEfficiency: pick('lowestEfficiency'),
    highestWastedBytes: pick('highestWastedBytes'),
    highestUserWastedPercent: pick('highestUserWastedPercent'),
    ruleSettings,
    ignore,
    diff: diffGateConfigFrom(root['diff'], diffOverrides),
    ...(file ? { file } : {}),
  };
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
      result = await explorer.load(opts.explicit);
    } else {
      result = await explorer.search(opts.cwd);
    }
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    throw new ConfigError(`cannot read the CI config: ${(err as Error).message.split('\n')[0]}`);
  }
  return gateConfigFrom(result?.config, opts.overrides, result?.filepath, opts.diffOverrides);
}
