import { ConfigError } from '../errors.js';
import { parseRatio, parseSize, type Threshold } from './thresholdValue.js';

/** When a finding new in HEAD fails the diff's gate: new errors, new errors or warnings, or never. */
export type NewFindingsLevel = 'error' | 'warn' | 'off';

/** The `diff:` section of `.dive-ci`: thresholds on what a pull request does to the image. */
export interface DiffGateConfig {
  /** Fail when HEAD's sizeBytes exceeds BASE's by more than this many bytes. */
  readonly maxSizeIncrease: Threshold;
  /** …or by more than this fraction of BASE's size (0.05 = 5 %). */
  readonly maxSizeIncreasePercent: Threshold;
  /** Fail when a node holding BASE must download more than this many (stored) bytes for HEAD. */
  readonly maxPullIncrease: Threshold;
  readonly failOnNewFindings: NewFindingsLevel;
  /** Fail when BASE starts and HEAD does not. */
  readonly failOnStartRegression: boolean;
}

export const DIFF_DEFAULTS = {
  maxSizeIncrease: 'disabled',
  maxSizeIncreasePercent: 'disabled',
  maxPullIncrease: 'disabled',
  failOnNewFindings: 'error',
  failOnStartRegression: 'true',
} as const;

export type DiffOverrides = Partial<Record<keyof typeof DIFF_DEFAULTS, string>>;

const KEYS = Object.keys(DIFF_DEFAULTS) as Array<keyof typeof DIFF_DEFAULTS>;

function newFindings(v: unknown): NewFindingsLevel {
  const s = v === false || v === null ? 'off' : String(v).trim().toLowerCase();
  if (s === 'error' || s === 'warn' || s === 'off') return s;
  if (s === 'disabled' || s === 'false' || s === 'none') return 'off';
  throw new ConfigError(`diff.failOnNewFindings: ${JSON.stringify(v)} is not one of error, warn, off`);
}

function flag(key: string, v: unknown): boolean {
  if (typeof v === 'boolean') return v;
  const s = String(v ?? '').trim().toLowerCase();
  if (['true', 'yes', 'on', '1'].includes(s)) return true;
  if (['false', 'no', 'off', '0', 'disabled', ''].includes(s)) return false;
  throw new ConfigError(`diff.${key}: ${JSON.stringify(v)} is not true or false`);
}

/** Read the `diff:` section (absent: the defaults) with CLI overrides winning; unknown keys are an error. */
export function diffGateConfigFrom(raw: unknown, overrides: DiffOverrides = {}): DiffGateConfig {
  if (raw !== undefined && raw !== null && (typeof raw !== 'object' || Array.isArray(raw))) {
    throw new ConfigError('diff: expected a mapping (maxSizeIncrease, maxSizeIncreasePercent, maxPullIncrease, failOnNewFindings, failOnStartRegression)');
  }
  const section = (raw ?? {}) as Record<string, unknown>;
  for (const k of Object.keys(section)) {
    if (!(KEYS as string[]).includes(k)) throw new ConfigError(`diff.${k}: unknown setting; use one of ${KEYS.join(', ')}`);
  }
  const pick = (k: keyof typeof DIFF_DEFAULTS): unknown => overrides[k] ?? (k in section ? section[k] : DIFF_DEFAULTS[k]);
  const size = (k: 'maxSizeIncrease' | 'maxPullIncrease') => parseSize(k, pick(k));
  return {
    maxSizeIncrease: relabel(size, 'maxSizeIncrease'),
    maxSizeIncreasePercent: relabel((k) => parseRatio(k, pick(k)), 'maxSizeIncreasePercent'),
    maxPullIncrease: relabel(size, 'maxPullIncrease'),
    failOnNewFindings: newFindings(pick('failOnNewFindings')),
    failOnStartRegression: flag('failOnStartRegression', pick('failOnStartRegression')),
  };
}

/** The threshold parsers name `rules.KEY` in their errors; these keys live under `diff:`. */
function relabel<K extends string>(parse: (k: K) => Threshold, key: K): Threshold {
  try {
    return parse(key);
  } catch (err) {
    if (err instanceof ConfigError) throw new ConfigError(err.message.replace(`rules.${key}`, `diff.${key}`));
    throw err;
  }
}
