import { findingPerFile } from './support/perFile.js';
import type { Rule } from './support/types.js';

const EXEMPT = [/^\/tmp(\/|$)/, /^\/var\/tmp(\/|$)/, /^\/dev\//, /^\/proc\//, /^\/run\/lock(\/|$)/];

/** Files anyone in the container can modify. */
export const worldWritable: Rule = {
  meta: {
    id: 'world-writable',
    title: 'world-writable files',
    severity: 'warn',
    docs:
      'Reports regular files outside /tmp and /var/tmp whose mode lets any user write them (o+w). Any process in ' +
      'the container, whatever its user, can change them — a program or configuration that others run becomes a ' +
      'way in. Fix: `chmod o-w FILE` in the layer that adds it (COPY --chmod=0644).',
    related: ['CIS Docker Benchmark 4.8'],
    tags: ['security', 'external/cwe/cwe-732'],
    precision: 'very-high',
    securitySeverity: 5.0,
  },
  check(ctx) {
    return findingPerFile(ctx, (e) => {
      if ((e.mode & 0o002) === 0 || EXEMPT.some((re) => re.test(e.path))) return undefined;
      return { message: `${e.path} is world-writable (mode ${e.mode.toString(8).padStart(4, '0')})`, fix: `chmod o-w ${e.path} (or COPY --chmod=0644)` };
    });
  },
};
