import { summarize, type Check, type CheckLocation, type GateResult } from '../ci/check.js';
import type { DiffGateConfig } from '../ci/diffGateConfig.js';
import type { Threshold } from '../ci/thresholdValue.js';
import type { DiffFinding } from './compareFindings.js';
import type { ImageDiff } from './imageDiff.js';

const IMAGE: readonly CheckLocation[] = [{ configField: 'image' }];

function threshold(id: string, title: string, t: Threshold, value: number, what: string): Check {
  if (!t.enabled) return { id, title, status: 'SKIP', message: 'rule disabled', locations: IMAGE };
  // strict, as dive's thresholds: a value equal to the limit passes
  const fail = value > t.value;
  return {
    id,
    title,
    status: fail ? 'FAIL' : 'PASS',
    message: fail ? `the image grew too much (${what}=${value} > threshold=${t.value})` : `${what}=${value} <= threshold=${t.value}`,
    value,
    threshold: t.value,
    locations: IMAGE,
  };
}

const locationOf = (f: DiffFinding): CheckLocation => ({
  ...(f.path !== undefined ? { path: f.path } : {}),
  ...(f.configField !== undefined ? { configField: f.configField } : {}),
  ...(f.layer !== undefined ? { layer: f.layer } : {}),
  // each finding whole in every report (JUnit lists them; the console folds them)
  message: `${f.ruleId}: ${f.message}`,
  fix: f.fix,
});

function newFindingsCheck(diff: ImageDiff, level: DiffGateConfig['failOnNewFindings']): Check {
  const id = 'newFindings';
  const title = 'Findings the change introduces';
  const fresh = diff.findings.new;
  if (level === 'off') return { id, title, status: 'SKIP', message: 'rule disabled', locations: [] };
  const failing = fresh.filter((f) => f.level === 'error' || (level === 'warn' && f.level === 'warn'));
  if (fresh.length === 0) return { id, title, status: 'PASS', message: 'no new findings', locations: [] };
  const first = failing[0] ?? fresh[0]!;
  return {
    id,
    title,
    status: failing.length > 0 ? 'FAIL' : 'WARN',
    message: `${fresh.length} new finding(s): ${first.ruleId}: ${first.message}`,
    locations: fresh.map(locationOf),
  };
}

function startCheck(diff: ImageDiff, enabled: boolean): Check {
  const id = 'startRegression';
  const title = 'The image still starts';
  const s = diff.start;
  if (!enabled) return { id, title, status: 'SKIP', message: 'rule disabled', locations: [] };
  if (s.regression) {
    const why = s.reasons[0];
    return { id, title, status: 'FAIL', message: `BASE starts, HEAD does not: ${why ? `${why.ruleId}: ${why.message}` : 'see the findings'}`, locations: s.reasons.map(locationOf) };
  }
  if (s.head === 'unknown') return { id, title, status: 'SKIP', message: 'the start rules could not decide for HEAD', locations: [] };
  const message = s.head === 'starts' ? (s.fixed ? 'HEAD starts (BASE did not)' : 'HEAD starts') : 'HEAD does not start, and neither did BASE';
  return { id, title, status: 'PASS', message, locations: [] };
}

/** The diff's gate: size, growth, pull bytes, new findings, start regression; dive's PASS/FAIL verdict. */
export function diffGate(diff: ImageDiff, cfg: DiffGateConfig): GateResult {
  const grew = diff.sizeBytes.delta;
  const ratio = diff.sizeBytes.base === 0 ? 0 : grew / diff.sizeBytes.base;
  return summarize([
    threshold('maxSizeIncrease', 'Size increase', cfg.maxSizeIncrease, grew, 'size-increase'),
    threshold('maxSizeIncreasePercent', 'Size increase relative to BASE', cfg.maxSizeIncreasePercent, ratio, 'size-increase-ratio'),
    threshold('maxPullIncrease', 'Bytes to pull over BASE', cfg.maxPullIncrease, diff.pullBytes, 'pull-bytes'),
    newFindingsCheck(diff, cfg.failOnNewFindings),
    startCheck(diff, cfg.failOnStartRegression),
  ]);
}
