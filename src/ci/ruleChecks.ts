import picomatch from 'picomatch';
import type { Finding, Rule, RuleContext, Severity } from '../../rules/support/types.js';
import { ConfigError } from '../errors.js';
import type { Check, CheckLocation, CheckStatus, SourceLine } from './check.js';

export type RuleLevel = Severity | 'off';

export interface IgnoreEntry {
  readonly rule: string;
  /** Glob over the finding's in-image path (or config field); absent: every finding of the rule. */
  readonly path?: string;
  readonly reason?: string;
  /** YYYY-MM-DD: the ignore stops working after this day. */
  readonly until?: string;
  /** Where the entry is written in the configuration file. */
  readonly at?: SourceLine;
}

export interface RuleSettings {
  readonly levels: Readonly<Record<string, RuleLevel>>;
  readonly ignores: readonly IgnoreEntry[];
}

const LEVELS = new Set(['error', 'warn', 'info', 'off']);

/** Read `rules: { rule-id: error|warn|info|off }` and `ignore: [...]` from the .dive-ci file. */
export function ruleSettingsFrom(
  raw: Readonly<Record<string, unknown>>,
  ignore: readonly unknown[],
  known: readonly Rule[],
  sources: readonly (SourceLine | undefined)[] = [],
): RuleSettings {
  const ids = new Set(known.map((r) => r.meta.id));
  const levels: Record<string, RuleLevel> = {};
  for (const [id, v] of Object.entries(raw)) {
    // dive's own example shows `plugin/rule: error`: settings for tools other than fathom pass through
    if (!ids.has(id)) {
      if (id.includes('/')) continue;
      throw new ConfigError(`rules.${id}: unknown rule (fathom rules lists them)`);
    }
    const level = v === false ? 'off' : String(v).trim().toLowerCase();
    if (!LEVELS.has(level)) throw new ConfigError(`rules.${id}: ${JSON.stringify(v)} is not one of error, warn, info, off`);
    levels[id] = level as RuleLevel;
  }
  const ignores = ignore.map((x, i): IgnoreEntry => {
    if (!x || typeof x !== 'object' || typeof (x as { rule?: unknown }).rule !== 'string') {
      throw new ConfigError(`ignore[${i}]: needs at least { rule: ID }`);
    }
    const e = x as Record<string, unknown>;
    const until = e['until'] instanceof Date ? e['until'].toISOString().slice(0, 10) : e['until'] === undefined ? undefined : String(e['until']);
    if (until !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(until)) throw new ConfigError(`ignore[${i}].until: ${JSON.stringify(e['until'])} is not a date (YYYY-MM-DD)`);
    return {
      rule: String(e['rule']),
      ...(e['path'] !== undefined ? { path: String(e['path']) } : {}),
      ...(e['reason'] !== undefined ? { reason: String(e['reason']) } : {}),
      ...(until ? { until } : {}),
      ...(sources[i] ? { at: sources[i] } : {}),
    };
  });
  return { levels, ignores };
}

function locationOf(f: Finding): CheckLocation {
  return {
    ...(f.path ? { path: f.path } : {}),
    ...(f.configField ? { configField: f.configField } : {}),
    ...(f.layer ? { layer: f.layer.index } : {}),
    message: f.message,
    fix: f.fix,
  };
}

const STATUS: Record<Severity, CheckStatus> = { error: 'FAIL', warn: 'WARN', info: 'PASS' };

/**
 * Run the rules and turn each into one check: no findings PASS, findings FAIL/WARN/PASS by the rule's level,
 * a rule that cannot decide SKIP with its reason. Ignores apply per finding; expired and stale ignores are reported.
 */
export function ruleChecks(
  rules: readonly Rule[],
  ctx: RuleContext,
  settings: RuleSettings,
  opts: { onlyUserLayers: boolean; today: string },
): { checks: Check[]; findings: Map<string, readonly Finding[]> } {
  const checks: Check[] = [];
  const findings = new Map<string, readonly Finding[]>();
  const used = new Array<number>(settings.ignores.length).fill(0);
  const expired = settings.ignores.map((ig) => ig.until !== undefined && ig.until < opts.today);
  const matchers = settings.ignores.map((ig) => (ig.path ? picomatch(ig.path, { dot: true }) : () => true));
  for (const rule of rules) {
    const { id, title, severity, docs } = rule.meta;
    const level = settings.levels[id] ?? severity;
    if (level === 'off') {
      checks.push({ id, title, status: 'SKIP', message: 'rule disabled in the configuration', locations: [], helpText: docs });
      continue;
    }
    const outcome = rule.check(ctx);
    if ('skip' in outcome) {
      checks.push({ id, title, status: 'SKIP', message: outcome.skip, locations: [], helpText: docs });
      continue;
    }
    const kept = (outcome as readonly Finding[]).filter((f) => {
      if (opts.onlyUserLayers && f.layer?.base) return false;
      const subject = f.path ?? f.configField ?? '';
      const i = settings.ignores.findIndex((ig, k) => ig.rule === id && matchers[k]!(subject));
      if (i < 0) return true;
      used[i]!++;
      return expired[i]!;
    });
    findings.set(id, kept);
    if (kept.length === 0) {
      checks.push({ id, title, status: 'PASS', message: 'no findings', locations: [], helpText: docs });
      continue;
    }
    // each finding keeps its own message in its location; the check's message only counts them when there are several
    const message = kept.length === 1 ? kept[0]!.message : `${kept.length} findings`;
    checks.push({ id, title, status: STATUS[level], message, locations: kept.map(locationOf), helpText: docs });
  }
  settings.ignores.forEach((ig, i) => {
    const what = `ignore { rule: ${ig.rule}${ig.path ? `, path: ${ig.path}` : ''} }`;
    // the reports point at the entry's line in the configuration file
    const locations = [{ configField: `ignore[${i}]`, ...(ig.at ? { source: ig.at } : {}) }];
    if (expired[i]) {
      checks.push({ id: 'ignore-expired', title: 'expired ignore', status: 'WARN', message: `${what} expired on ${ig.until}: its findings count again`, locations });
    } else if (used[i] === 0) {
      checks.push({ id: 'ignore-stale', title: 'stale ignore', status: 'WARN', message: `${what} matched nothing: remove it`, locations });
    }
  });
  return { checks, findings };
}
