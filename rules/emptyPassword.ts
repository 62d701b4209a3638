import type { Rule } from './support/types.js';

/** Accounts in /etc/shadow with an empty password field: anyone can log in as them. */
export const emptyPassword: Rule = {
  meta: {
    id: 'empty-password',
    title: 'accounts without a password',
    severity: 'warn',
    docs:
      'Reports /etc/shadow entries whose password field is empty, so `su` or a login service accepts the account ' +
      'with no password. A locked account has `!` or `*` there. Fix: `passwd -l USER` (or `usermod -p \'*\' USER`) ' +
      'in the Dockerfile.',
    related: ['dockle CIS-DI-0002 (DKL-LI-0001)'],
    tags: ['security', 'external/cwe/cwe-258'],
    precision: 'very-high',
    securitySeverity: 7.5,
  },
  check(ctx) {
    const shadow = ctx.tree.text('/etc/shadow');
    if (!shadow) return [];
    const entry = ctx.tree.get('/etc/shadow');
    return shadow
      .split('\n')
      .map((l) => l.split(':'))
      .filter((f) => f.length >= 2 && f[0] !== '' && f[1] === '')
      .map((f) => ({
        message: `user ${f[0]} has an empty password in /etc/shadow`,
        path: '/etc/shadow',
        ...(entry ? { layer: ctx.layerRef(entry.layer) } : {}),
        fix: `lock the account: RUN passwd -l ${f[0]}`,
      }));
  },
};
