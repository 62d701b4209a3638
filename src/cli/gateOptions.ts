import type { GateResult } from '../ci/check.js';
import type { GateConfig } from '../ci/gateConfig.js';
import { ConfigError } from '../errors.js';
import { RULES } from '../../rules/index.js';

/** The gate's command-line options shared by `fathom IMAGE`, `build` and `diff`. */
export interface GateArgs {
  /** `--fail-on error|warn|never` (hadolint's --failure-threshold, dockle's --exit-level). */
  failOn?: string;
  /** `--no-fail`: report, exit 0 (a report-only job on a runner that sets CI=true). */
  fail?: boolean;
  /** `--ignore RULE`, repeatable: the rule is off for this run. */
  ignore?: string[];
}

export type FailOn = 'error' | 'warn' | 'never';

export function failOnFrom(args: GateArgs): FailOn {
  if (args.fail === false) return 'never';
  const v = args.failOn ?? 'error';
  if (v === 'error' || v === 'warn' || v === 'never') return v;
  throw new ConfigError(`--fail-on ${v}: use error (the default: a failed check fails), warn (a warning fails too) or never`);
}

/** The exit code of a gate in CI mode: 1 when a check fails at the chosen level, else 0. */
export function gateExitCode(gate: GateResult, failOn: FailOn): number {
  if (failOn === 'never') return 0;
  if (gate.tally.fail > 0) return 1;
  return failOn === 'warn' && gate.tally.warn > 0 ? 1 : 0;
}

const THRESHOLDS = ['lowestEfficiency', 'highestWastedBytes', 'highestUserWastedPercent'] as const;

/** `--ignore RULE` on top of the file: an image rule turned off, or one of dive's thresholds disabled. */
export function withIgnoredRules(gate: GateConfig, ignore: readonly string[] | undefined): GateConfig {
  if (!ignore || ignore.length === 0) return gate;
  const known = new Set(RULES.map((r) => r.meta.id));
  const ruleSettings: Record<string, unknown> = { ...gate.ruleSettings };
  const disabled: Partial<Record<(typeof THRESHOLDS)[number], { enabled: false }>> = {};
  for (const id of ignore) {
    const threshold = THRESHOLDS.find((t) => t.toLowerCase() === id.toLowerCase());
    if (threshold) disabled[threshold] = { enabled: false };
    else if (known.has(id)) ruleSettings[id] = 'off';
    else throw new ConfigError(`--ignore ${id}: unknown rule; fathom rules lists them (dive's thresholds too: ${THRESHOLDS.join(', ')})`);
  }
  return { ...gate, ...disabled, ruleSettings };
}
