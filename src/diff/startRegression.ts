import type { Review } from '../review/review.js';
import type { DiffFinding, FindingsDiff } from './compareFindings.js';

/** The rules that say whether `docker run` gets as far as the program. */
export const START_RULES: readonly string[] = ['entrypoint-runnable', 'shell-form-on-scratch', 'user-not-found'];

export type StartState = 'starts' | 'fails' | 'unknown';

export interface StartComparison {
  readonly base: StartState;
  readonly head: StartState;
  /** BASE starts and HEAD does not. */
  readonly regression: boolean;
  /** BASE did not start and HEAD does. */
  readonly fixed: boolean;
  /** What keeps HEAD from starting (its start-rule findings that BASE did not have first). */
  readonly reasons: readonly DiffFinding[];
}

function stateOf(review: Review): StartState {
  const checks = review.gate.checks.filter((c) => START_RULES.includes(c.id));
  if (checks.length === 0 || checks.every((c) => c.status === 'SKIP')) return 'unknown';
  return START_RULES.some((id) => (review.findings.get(id)?.length ?? 0) > 0) ? 'fails' : 'starts';
}

/** "Will it start": the start rules' verdict on each side, and the missing piece when HEAD broke it. */
export function compareStart(base: Review, head: Review, findings: FindingsDiff): StartComparison {
  const b = stateOf(base);
  const h = stateOf(head);
  const fresh = findings.new.filter((f) => START_RULES.includes(f.ruleId));
  const still = findings.unchanged.filter((f) => START_RULES.includes(f.ruleId));
  return {
    base: b,
    head: h,
    regression: b === 'starts' && h === 'fails',
    fixed: b === 'fails' && h === 'starts',
    reasons: h === 'fails' ? [...fresh, ...still] : [],
  };
}
