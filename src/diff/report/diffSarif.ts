import type { GateResult } from '../../ci/check.js';
import { automationId, sarifLog } from '../../report/sarifReport.js';
import type { ImageDiff } from '../imageDiff.js';
import { diffReportFindings, headKey } from './diffFindings.js';
import type { HeadLines } from './diffLines.js';

/**
 * SARIF 2.1.0 for a pull request, written by the single-image writer: HEAD's findings with `baselineState`
 * against BASE (`new`, `unchanged`) and BASE's fixed ones as `absent`, each with the fingerprint `fathom HEAD`
 * gives it, so code scanning shows only what the change introduced; the gate's other failed checks as results of their own.
 * With HEAD's Dockerfile, HEAD's findings sit at its lines.
 */
export function diffSarif(diff: ImageDiff, gate: GateResult, version: string, lines?: HeadLines) {
  const findings = diffReportFindings(diff, gate, { fixed: true, lines });
  return sarifLog({
    version,
    imageName: diff.head.name,
    imageId: diff.head.id,
    automationId: automationId('fathom-diff', headKey(diff)),
    checkIds: [...new Set(findings.map((f) => f.checkId))],
    titles: new Map(gate.checks.map((c) => [c.id, c.title])),
    findings,
    ...(lines ? { dockerfile: lines.dockerfile } : {}),
    properties: { base: diff.base.name, head: diff.head.name, sizeDelta: diff.sizeBytes.delta, pullBytes: diff.pullBytes, startRegression: diff.start.regression },
  });
}
