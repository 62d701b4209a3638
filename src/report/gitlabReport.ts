import { imageKey } from '../ci/findingIdentity.js';
import { gateFindings, type ReportFinding } from './reportFindings.js';
import type { ReportContext } from './reportContext.js';

const SEVERITY = { error: 'major', warning: 'minor', note: 'info' } as const;

/**
 * GitLab Code Quality JSON: one entry per finding with its own description. The fingerprint is the report's
 * (the image's repository and what the finding is about, never its position or a measured value), so the same
 * problem keeps its identity from one pipeline to the next and two images' entries never merge.
 */
export function gitlabEntries(findings: readonly ReportFinding[], image: string) {
  return findings.map((f) => ({
    description: `${f.checkId}: ${f.message} (${image})`,
    check_name: f.checkId,
    fingerprint: f.fingerprint,
    severity: SEVERITY[f.level],
    location: { path: f.location.path ? f.location.path.replace(/^\/+/, '') : 'Dockerfile', lines: { begin: 1 } },
  }));
}

export function gitlabReport(ctx: ReportContext) {
  const name = ctx.image.tags[0] ?? ctx.image.id;
  return gitlabEntries(gateFindings(ctx.gate, imageKey(ctx.image.tags, ctx.image.id)), name);
}
