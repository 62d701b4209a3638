import { findingIdentity, fingerprintOf } from '../ci/findingIdentity.js';
import type { Finding } from '../../rules/support/types.js';

/** A finding's identity across two images (the same whatever the image's name): how BASE and HEAD are matched. */
export function findingFingerprint(ruleId: string, f: Finding): string {
  return fingerprintOf(findingIdentity(ruleId, f.path ?? f.configField ?? '', f.message));
}
