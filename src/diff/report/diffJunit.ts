import type { GateResult } from '../../ci/check.js';
import { junitSuites } from '../../report/junitReport.js';
import type { ImageDiff } from '../imageDiff.js';

/** JUnit XML: one testcase per check of the diff's gate (FAIL a failure, SKIP skipped, WARN in system-out). */
export function diffJunit(diff: ImageDiff, gate: GateResult): string {
  return junitSuites(`fathom diff: ${diff.base.name} -> ${diff.head.name}`, gate, () => `${diff.head.name}.diff`);
}
