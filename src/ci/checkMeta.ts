import { RULES } from '../../rules/index.js';
import type { RuleMeta } from '../../rules/support/types.js';

/**
 * What every check the gates can report is: the image rules' own meta, and the same shape for the checks that are
 * not rules (dive's thresholds, the ignore list's, `fathom diff`'s), so SARIF, the rule docs and `fathom rules`
 * describe them all alike.
 */
export interface CheckMeta extends RuleMeta {
  /** How `.dive-ci` sets it, when that is not a rule's level (`rules: { ID: off|error|warn|info }`). */
  readonly configuration?: string;
}

const gateCheck = (id: string, title: string, docs: string, tags: readonly string[], configuration?: string): CheckMeta => ({
  id,
  ...(configuration !== undefined ? { configuration } : {}),
  title,
  severity: 'error',
  docs,
  related: [],
  tags,
  precision: 'very-high',
});

export const GATE_CHECKS: readonly CheckMeta[] = [
  gateCheck(
    'lowestEfficiency',
    "image efficiency below the threshold (dive's lowestEfficiency)",
    "dive's efficiency: the bytes of the final filesystem over the bytes every layer ships, 1 when no layer " +
      'overwrites or deletes what a layer below wrote. The check fails when the efficiency is below the ' +
      'threshold (default 0.9). Fix: remove files in the layer that creates them (`rm` in the same `RUN`), ' +
      'not in a later one, and do not copy files that a later layer replaces.',
    ['efficiency', 'size', 'dive'],
    'rules:\n  lowestEfficiency: 0.9   # 0..1, or disabled',
  ),
  gateCheck(
    'highestWastedBytes',
    "wasted bytes above the threshold (dive's highestWastedBytes)",
    "dive's wasted bytes: the sum of the sizes of every copy of a path that was overwritten or deleted by a later " +
      'layer, or that is still visible in more than one layer. The check fails when it is above the threshold ' +
      '(disabled by default; sizes such as 20MB or 20MiB). Fix: clean up caches and temporary files in the ' +
      'layer that makes them.',
    ['efficiency', 'size', 'dive'],
    'rules:\n  highestWastedBytes: 20MB   # or 20MiB, 5000000, disabled (the default)',
  ),
  gateCheck(
    'highestUserWastedPercent',
    "wasted bytes relative to the user layers above the threshold (dive's highestUserWastedPercent)",
    "dive's ratio of the wasted bytes to the bytes of the layers above the first (the user's layers). The check " +
      'fails when it is above the threshold (default 0.1). Fix: as for highestWastedBytes; the base image\'s own ' +
      'waste counts too, so a slimmer base also helps.',
    ['efficiency', 'size', 'dive'],
    'rules:\n  highestUserWastedPercent: 0.1   # 0..1, or disabled',
  ),
  {
    ...gateCheck(
      'ignore-expired',
      'an ignore of the CI config has expired',
      'An entry of the `ignore:` list in the CI config has an `until:` date in the past: the findings it matched ' +
        'count again. Fix: fix the findings, or renew the date with a reason.',
      ['maintainability', 'configuration'],
      'ignore:\n  - { rule: setuid-setgid, path: /usr/bin/su, reason: needed by the entrypoint, until: 2030-01-01 }',
    ),
    severity: 'warn',
  },
  {
    ...gateCheck(
      'ignore-stale',
      'an ignore of the CI config matches nothing',
      'An entry of the `ignore:` list in the CI config matched no finding of this image: the problem it covered ' +
        'is gone, or the rule id or path glob is misspelt. Fix: remove the entry, or correct it.',
      ['maintainability', 'configuration'],
      'ignore:\n  - { rule: setuid-setgid, path: /usr/bin/su, reason: needed by the entrypoint, until: 2030-01-01 }',
    ),
    severity: 'warn',
  },
  gateCheck('maxSizeIncrease', 'the image grew by more than the threshold (fathom diff)', 'fathom diff: HEAD is larger than BASE by more bytes than `diff.maxSizeIncrease`. Fix: find the layers and paths that grew in the report and remove what the change does not need.', ['size', 'diff'], 'diff:\n  maxSizeIncrease: 10MB'),
  gateCheck('maxSizeIncreasePercent', 'the image grew by more than the threshold fraction (fathom diff)', "fathom diff: HEAD grew by more than `diff.maxSizeIncreasePercent` of BASE's size. Fix: as for maxSizeIncrease.", ['size', 'diff'], 'diff:\n  maxSizeIncreasePercent: 0.05'),
  gateCheck('maxPullIncrease', 'a node holding BASE must download more than the threshold (fathom diff)', 'fathom diff: the layers of HEAD that a node already holding BASE does not have add up to more than `diff.maxPullIncrease`. Fix: keep the large, rarely changing layers first and unchanged.', ['size', 'diff'], 'diff:\n  maxPullIncrease: 50MB'),
  gateCheck('newFindings', 'the change brings new findings (fathom diff)', 'fathom diff: HEAD has findings of image rules that BASE does not have, at the level `diff.failOnNewFindings` names. Fix: see each finding\'s rule.', ['diff'], 'diff:\n  failOnNewFindings: error   # or warn, off'),
  gateCheck('startRegression', 'BASE starts and HEAD does not (fathom diff)', 'fathom diff: the start rules (entrypoint-runnable, shell-form-on-scratch, user-not-found) pass on BASE and fail on HEAD: the change breaks the container\'s start. Fix: see the failing rule\'s finding.', ['correctness', 'reliability', 'diff'], 'diff:\n  failOnStartRegression: true   # or false'),
];

const BY_ID = new Map<string, CheckMeta>([...RULES.map((r) => [r.meta.id, r.meta] as const), ...GATE_CHECKS.map((m) => [m.id, m] as const)]);

/** The meta of a check by id; an unknown id (a check added without meta) gets a plain one rather than none. */
export function checkMeta(id: string, title = id): CheckMeta {
  return BY_ID.get(id) ?? gateCheck(id, title, title, []);
}
