import type { GateResult } from '../../ci/check.js';
import { gitlabEntries } from '../../report/gitlabReport.js';
import type { ImageDiff } from '../imageDiff.js';
import { diffReportFindings } from './diffFindings.js';
import type { HeadLines } from './diffLines.js';

/**
 * GitLab Code Quality JSON of HEAD, by the single-image writer: its findings (new and unchanged) with the
 * fingerprints `fathom HEAD` writes, so GitLab's own comparison with the target branch's report shows what the
 * merge request introduced and fixed; and the diff gate's other failed checks. With HEAD's Dockerfile, at its lines.
 */
export function diffGitlab(diff: ImageDiff, gate: GateResult, lines?: HeadLines) {
  return gitlabEntries(diffReportFindings(diff, gate, { fixed: false, lines }), diff.head.name, lines?.dockerfile);
}
