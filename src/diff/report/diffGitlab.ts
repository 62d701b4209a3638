import type { GateResult } from '../../ci/check.js';
import type { ImageDiff } from '../imageDiff.js';

const SEVERITY = { error: 'major', warn: 'minor', info: 'info' } as const;

/**
 * GitLab Code Quality JSON of HEAD: its findings (new and unchanged) with the layer-independent fingerprint, so
 * GitLab's own comparison with the target branch's report shows what the merge request introduced and fixed; and
 * the diff gate's failed checks.
 */
export function diffGitlab(diff: ImageDiff, gate: GateResult) {
  const findings = [...diff.findings.new, ...diff.findings.unchanged].map((f) => ({
    description: `${f.ruleId}: ${f.message}`,
    check_name: f.ruleId,
    fingerprint: f.fingerprint,
    severity: SEVERITY[f.level],
    location: { path: f.path ? f.path.replace(/^\/+/, '') : 'Dockerfile', lines: { begin: 1 } },
  }));
  const checks = gate.checks
    .filter((c) => c.status === 'FAIL' && c.id !== 'newFindings')
    .map((c) => ({ description: `${c.id}: ${c.message}`, check_name: c.id, fingerprint: `fathom-diff-${c.id}`, severity: 'major', location: { path: 'Dockerfile', lines: { begin: 1 } } }));
  return [...checks, ...findings];
}
