import { createHash } from 'node:crypto';
import type { CheckLocation } from '../ci/check.js';
import type { ReportContext } from './reportContext.js';

const SEVERITY = { FAIL: 'major', WARN: 'minor' } as const;

/**
 * GitLab Code Quality JSON. The fingerprint hashes what the finding is about (check id and location), never its
 * position in the list or the measured value, so the same problem keeps its identity from one pipeline to the next.
 */
export function gitlabReport(ctx: ReportContext) {
  return ctx.gate.checks
    .filter((c) => c.status === 'FAIL' || c.status === 'WARN')
    .flatMap((c) => {
      const locs: CheckLocation[] = c.locations.length > 0 ? [...c.locations] : [{ configField: 'image' }];
      return locs.map((l) => {
        const where = l.path ?? `image-config:${l.configField ?? 'image'}`;
        return {
          description: `${c.id}: ${c.message}`,
          check_name: c.id,
          fingerprint: createHash('sha256').update(`${c.id}\0${where}`).digest('hex'),
          severity: SEVERITY[c.status as 'FAIL' | 'WARN'],
          location: { path: l.path ? l.path.replace(/^\/+/, '') : 'Dockerfile', lines: { begin: 1 } },
        };
      });
    });
}
