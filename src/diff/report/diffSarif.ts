import type { GateResult } from '../../ci/check.js';
import { automationId, sarifLog } from '../../report/sarifReport.js';
import type { ImageDiff } from '../imageDiff.js';
import { diffReportFindings, headKey } from './diffFindings.js';

/**
 * SARIF 2.1.0 for a pull request, written by the single-image writer: HEAD's findings with `baselineState`
 * against BASE (`new`, `unchanged`) and BASE's fixed ones as `absent`, each with the fingerprint `fathom HEAD`
 * gives it, so code scanning shows only what the change introduced; the gate's other failed checks as results of their own.
 */
export function diffSarif(diff: ImageDiff, gate: GateResult, version: string) {
  const findings = diffReportFindings(diff, gate, { fixed: true });
  return sarifLog({
    version,
    imageName: diff.head.name,
    imageId: diff.head.id,
    automationId: automationId('fathom-diff', headKey(diff)),
    checkIds: [...new Set(findings.map((f) => f.checkId))],
    titles: new Map(gate.checks.map((c) => [c.id, c.title])),
    findings,
    properties: { base: diff.base.name, head: diff.head.name, sizeDelta: diff.sizeBytes.delta, pullBytes: diff.pullBytes, startRegression: diff.start.regression },
  });
}
