import type { GateResult } from '../../ci/check.js';
import { findingIdentity, imageKey } from '../../ci/findingIdentity.js';
import { withFingerprints, type ReportFinding } from '../../report/reportFindings.js';
import type { DiffFinding } from '../compareFindings.js';
import type { ImageDiff } from '../imageDiff.js';
import type { HeadLines } from './diffLines.js';

const LEVEL = { error: 'error', warn: 'warning', info: 'note' } as const;

/** HEAD's report key: the same as `fathom HEAD`'s, so a finding has one fingerprint in both commands' reports. */
export const headKey = (diff: ImageDiff) => imageKey(diff.head.name === diff.head.id ? [] : [diff.head.name], diff.head.id);

/**
 * The findings a diff's SARIF and GitLab reports list: HEAD's (new and unchanged), BASE's fixed ones when asked
 * (SARIF's `absent`), and the gate's other checks that failed or warn (size thresholds, start regression) — with the fingerprints `fathom HEAD` writes.
 */
export function diffReportFindings(diff: ImageDiff, gate: GateResult, opts: { fixed: boolean; lines?: HeadLines | undefined }): ReportFinding[] {
  const one = (f: DiffFinding, baselineState: 'new' | 'unchanged' | 'absent') => {
    // HEAD's findings at HEAD's Dockerfile lines; BASE's fixed ones were made by another Dockerfile
    const line = baselineState !== 'absent' ? opts.lines?.lineOf(f) : undefined;
    return { ...(line !== undefined ? { line } : {}), ...found(f, baselineState) };
  };
  const found = (f: DiffFinding, baselineState: 'new' | 'unchanged' | 'absent') => ({
    checkId: f.ruleId,
    title: f.ruleId,
    level: LEVEL[f.level],
    message: f.message,
    fix: f.fix,
    location: {
      ...(f.path !== undefined ? { path: f.path } : {}),
      ...(f.configField !== undefined ? { configField: f.configField } : {}),
      ...(f.layer !== undefined ? { layer: f.layer } : {}),
    },
    baselineState,
    identity: findingIdentity(f.ruleId, f.path ?? f.configField ?? '', f.message),
  });
  const thresholds = gate.checks
    // newFindings' findings are listed one by one above
    .filter((c) => c.id !== 'newFindings' && (c.status === 'FAIL' || c.status === 'WARN'))
    .map((c) => ({
      checkId: c.id,
      title: c.title,
      level: c.status === 'FAIL' ? ('error' as const) : ('warning' as const),
      message: c.message,
      location: { configField: 'image' },
      baselineState: 'new' as const,
      identity: findingIdentity(c.id, 'image', ''),
    }));
  return withFingerprints(
    [
      ...diff.findings.new.map((f) => one(f, 'new')),
      ...diff.findings.unchanged.map((f) => one(f, 'unchanged')),
      ...(opts.fixed ? diff.findings.fixed.map((f) => one(f, 'absent')) : []),
      ...thresholds,
    ],
    headKey(diff),
  );
}
