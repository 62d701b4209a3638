/**
 * A check is anything the gate turns into PASS/FAIL/WARN/SKIP: dive's thresholds and the image rules alike.
 * Reporters (console, JSON, SARIF, JUnit, Markdown, GitLab) only ever see this shape.
 */
export type CheckStatus = 'PASS' | 'FAIL' | 'WARN' | 'SKIP';

/** A line of a file in the user's repository: where a finding about the configuration itself is (an ignore entry). */
export interface SourceLine {
  /** As the user would name it: relative to the working directory when it is inside it. */
  readonly file: string;
  /** 1-based. */
  readonly line: number;
}

export interface CheckLocation {
  /** A path inside the image, e.g. `/usr/bin/su`. */
  readonly path?: string;
  /** A field of the image config, e.g. `config.User`. */
  readonly configField?: string;
  /** The layer that introduced it. */
  readonly layer?: number;
  /** A finding about the configuration: the line of the file that says it (a stale or expired ignore's entry). */
  readonly source?: SourceLine;
  /** A rule's finding at this location: its own message and fix (every report lists each finding whole). */
  readonly message?: string;
  readonly fix?: string;
}

export interface Check {
  /** Stable id: `lowestEfficiency`, `setuid-setgid`, … */
  readonly id: string;
  readonly title: string;
  readonly status: CheckStatus;
  /** One line: what was measured against what, or what was found. */
  readonly message: string;
  /** For threshold checks: the measured value and the limit. */
  readonly value?: number;
  readonly threshold?: number;
  readonly locations: readonly CheckLocation[];
  /** Where to read about the check and its fix. */
  readonly helpText?: string;
}

export interface GateResult {
  readonly checks: readonly Check[];
  readonly status: 'PASS' | 'FAIL';
  readonly tally: { total: number; pass: number; fail: number; warn: number; skip: number };
}

export function summarize(checks: readonly Check[]): GateResult {
  const tally = { total: checks.length, pass: 0, fail: 0, warn: 0, skip: 0 };
  for (const c of checks) {
    if (c.status === 'PASS') tally.pass++;
    else if (c.status === 'FAIL') tally.fail++;
    else if (c.status === 'WARN') tally.warn++;
    else tally.skip++;
  }
  return { checks, status: tally.fail > 0 ? 'FAIL' : 'PASS', tally };
}
