import type { Check, CheckLocation, GateResult } from '../ci/check.js';
import { findingIdentity, fingerprintOf } from '../ci/findingIdentity.js';

export type FindingLevel = 'error' | 'warning' | 'note';

/** One thing a report lists: a rule's finding, or a failed or warning check that is not a rule (a threshold). */
export interface ReportFinding {
  readonly checkId: string;
  readonly title: string;
  readonly level: FindingLevel;
  /** This finding's own message (never the first finding's with a count of the others). */
  readonly message: string;
  readonly fix?: string;
  readonly location: CheckLocation;
  /** Unique within the report, different between images, the same from one run to the next. */
  readonly fingerprint: string;
  /** With a Dockerfile: the line of the instruction it comes from; a finding about the configuration: its line there. */
  readonly line?: number;
  /** The file `line` is in when it is not the Dockerfile (the .dive-ci of a stale or expired ignore). */
  readonly file?: string;
  /** `fathom diff`: whether HEAD introduced it, kept it, or fixed it. */
  readonly baselineState?: 'new' | 'unchanged' | 'absent';
}

const LEVEL = { FAIL: 'error', WARN: 'warning', PASS: 'note' } as const;

/**
 * Every finding of a gate, one per location: rule findings at every level (info ones as notes), thresholds and
 * ignore checks that failed or warn.
 */
export function gateFindings(gate: GateResult, imageKey: string, lineOf?: (l: CheckLocation) => number | undefined): ReportFinding[] {
  const out: Array<Omit<ReportFinding, 'fingerprint'> & { identity: string }> = [];
  for (const c of gate.checks) {
    if (c.status === 'SKIP' || (c.status === 'PASS' && c.locations.every((l) => l.message === undefined))) continue;
    const locations: readonly CheckLocation[] = c.locations.length > 0 ? c.locations : [{ configField: 'image' }];
    for (const l of locations) {
      const line = l.source?.line ?? lineOf?.(l);
      out.push({
        ...(line !== undefined ? { line } : {}),
        ...(l.source ? { file: l.source.file } : {}),
        checkId: c.id,
        title: c.title,
        level: LEVEL[c.status],
        message: l.message ?? c.message,
        ...(l.fix !== undefined ? { fix: l.fix } : {}),
        location: l,
        identity: identityOf(c, l),
      });
    }
  }
  return withFingerprints(out, imageKey);
}

/** A threshold's identity is its id alone: its message carries the measured value, which changes every run. */
function identityOf(c: Check, l: CheckLocation): string {
  const subject = l.path ?? l.configField ?? '';
  return findingIdentity(c.id, subject, l.message ?? (c.value !== undefined ? '' : c.message));
}

/**
 * The report's fingerprints: the image and the finding's identity; a second finding with the same identity (the
 * same path reported twice by one rule) gets its occurrence number, so every fingerprint of a file is unique.
 */
export function withFingerprints<T extends { identity: string }>(items: readonly T[], imageKey: string): Array<Omit<T, 'identity'> & { fingerprint: string }> {
  const seen = new Map<string, number>();
  return items.map(({ identity, ...rest }) => {
    const n = (seen.get(identity) ?? 0) + 1;
    seen.set(identity, n);
    return { ...rest, fingerprint: n === 1 ? fingerprintOf(imageKey, identity) : fingerprintOf(imageKey, identity, String(n)) };
  });
}
