import type { Rule } from './types.js';

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
  },
  check(ctx) {
    const out = [];
    for (const e of ctx.tree.entries()) {
      if (e.kind !== 'file' || (e.mode & 0o002) === 0) continue;
      if (EXEMPT.some((re) => re.test(e.path))) continue;
      out.push({ message: `${e.path} is world-writable (mode ${e.mode.toString(8).padStart(4, '0')})`, path: e.path, layer: ctx.layerRef(e.layer), fix: `chmod o-w ${e.path} (or COPY --chmod=0644)` });
    }
    return out.sort((a, b) => (a.path < b.path ? -1 : 1));
  },
};
