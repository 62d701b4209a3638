import { createHash } from 'node:crypto';
import type { Finding } from '../../rules/support/types.js';

/**
 * A finding's identity across two images: the rule, what it is about (an in-image path or a config field) and
 * what was found there, with the numbers left out of the message (a layer index, a size or a count changes when
 * a layer is inserted below, not the finding). Never a layer index or a position in a list.
 */
export function findingFingerprint(ruleId: string, f: Finding): string {
  const subject = f.path ?? f.configField ?? '';
  const what = f.message.replace(/\d+/g, '#');
  return createHash('sha256').update([ruleId, subject, what].join('\0')).digest('hex').slice(0, 32);
}
