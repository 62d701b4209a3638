import { imageKey } from '../ci/findingIdentity.js';
import { gateFindings, type ReportFinding } from './reportFindings.js';
import { dockerfileLineOf, type ReportContext } from './reportContext.js';

const SEVERITY = { error: 'major', warning: 'minor', note: 'info' } as const;

/**
 * GitLab Code Quality JSON: one entry per finding with its own description. The fingerprint is the report's
 * (the image's repository and what the finding is about, never its position or a measured value), so the same
 * problem keeps its identity from one pipeline to the next and two images' entries never merge.
 */
export function gitlabEntries(findings: readonly ReportFinding[], image: string, dockerfile?: string) {
  return findings.map((f) => ({
    description: `${f.checkId}: ${f.message} (${image})`,
    check_name: f.checkId,
    fingerprint: f.fingerprint,
    severity: SEVERITY[f.level],
    location: locationOf(f, dockerfile),
  }));
}

/**
 * With a Dockerfile, the line of the instruction the finding comes from (what the merge request shows); a finding
 * about the configuration, its line in the .dive-ci.
 */
function locationOf(f: ReportFinding, dockerfile: string | undefined) {
  const file = f.file ?? dockerfile;
  if (f.line !== undefined && file !== undefined) return { path: file.replace(/^(\.\/)+/, ''), lines: { begin: f.line } };
  return { path: f.location.path ? f.location.path.replace(/^\/+/, '') : 'Dockerfile', lines: { begin: 1 } };
}

export function gitlabReport(ctx: ReportContext) {
  const name = ctx.image.tags[0] ?? ctx.image.id;
  return gitlabEntries(gateFindings(ctx.gate, imageKey(ctx.image.tags, ctx.image.id), dockerfileLineOf(ctx)), name, ctx.dockerfile?.path);
}
