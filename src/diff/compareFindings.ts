import type { RuleLevel } from '../ci/ruleChecks.js';
import type { ReviewPlan } from '../review/review.js';
import type { Review } from '../review/review.js';
import type { Finding } from '../../rules/support/types.js';
import { findingFingerprint } from './findingFingerprint.js';

export interface DiffFinding {
  readonly ruleId: string;
  /** The rule's level in the configuration the diff ran with. */
  readonly level: Exclude<RuleLevel, 'off'>;
  readonly message: string;
  readonly path?: string;
  readonly configField?: string;
  readonly fix: string;
  /** The layer of the image it was found in (HEAD's for new and unchanged, BASE's for fixed). */
  readonly layer?: number;
  readonly fingerprint: string;
}

export interface FindingsDiff {
  readonly new: readonly DiffFinding[];
  readonly fixed: readonly DiffFinding[];
  readonly unchanged: readonly DiffFinding[];
}

function keyed(review: Review, plan: ReviewPlan): Map<string, DiffFinding> {
  const out = new Map<string, DiffFinding>();
  const severity = new Map(plan.rules.map((r) => [r.meta.id, r.meta.severity]));
  for (const [ruleId, findings] of review.findings) {
    const level = plan.settings.levels[ruleId] ?? severity.get(ruleId) ?? 'warn';
    if (level === 'off') continue;
    for (const f of findings as readonly Finding[]) {
      const fingerprint = findingFingerprint(ruleId, f);
      if (out.has(fingerprint)) continue;
      out.set(fingerprint, {
        ruleId,
        level,
        message: f.message,
        ...(f.path !== undefined ? { path: f.path } : {}),
        ...(f.configField !== undefined ? { configField: f.configField } : {}),
        fix: f.fix,
        ...(f.layer ? { layer: f.layer.index } : {}),
        fingerprint,
      });
    }
  }
  return out;
}

const byRule = (a: DiffFinding, b: DiffFinding) =>
  a.ruleId.localeCompare(b.ruleId) || (a.path ?? a.configField ?? '').localeCompare(b.path ?? b.configField ?? '') || a.message.localeCompare(b.message);

/** Every finding of either image, by fingerprint: only in HEAD is new, only in BASE is fixed, in both unchanged. */
export function compareFindings(base: Review, head: Review, plan: ReviewPlan): FindingsDiff {
  const b = keyed(base, plan);
  const h = keyed(head, plan);
  const fresh: DiffFinding[] = [];
  const unchanged: DiffFinding[] = [];
  for (const [k, f] of h) (b.has(k) ? unchanged : fresh).push(f);
  const fixed = [...b].filter(([k]) => !h.has(k)).map(([, f]) => f);
  return { new: fresh.sort(byRule), fixed: fixed.sort(byRule), unchanged: unchanged.sort(byRule) };
}
