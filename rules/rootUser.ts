import { parsePasswd, splitUser } from './support/passwd.js';
import type { Rule } from './support/types.js';

/** The container runs as root: User empty, root, 0, root:<group>, 0:<group>, or a name that maps to uid 0. */
export const rootUser: Rule = {
  meta: {
    id: 'root-user',
    title: 'runs as root',
    severity: 'warn',
    docs:
      'Reports an image whose config User is empty, `root`, `0`, `root:<group>`, `0:<group>`, or a name that ' +
      '/etc/passwd maps to uid 0. A process that runs as root in the container is root on the host\'s kernel: a ' +
      'container escape or a writable host mount becomes full compromise. Fix: create an unprivileged user and add ' +
      '`USER name` (or `USER 1000:1000`) as the last user-setting instruction of the Dockerfile.',
    related: ['dockle CIS-DI-0001', 'hadolint DL3002', 'trivy DS002', 'CIS Docker Benchmark 4.1'],
    tags: ['security', 'external/cwe/cwe-250'],
    precision: 'very-high',
    securitySeverity: 5.0,
  },
  check(ctx) {
    const raw = ctx.image.config.user.trim();
    const { user } = splitUser(raw);
    const passwd = parsePasswd(ctx.tree.text('/etc/passwd'));
    const mapped = passwd.find((p) => p.name === user);
    const root = user === '' || user === 'root' || /^0+$/.test(user) || (mapped !== undefined && mapped.uid === 0);
    if (!root) return [];
    const why = raw === '' ? 'User is not set' : mapped && user !== 'root' ? `User "${raw}" has uid 0 in /etc/passwd` : `User is "${raw}"`;
    return [
      {
        message: `the container runs as root: ${why}`,
        configField: 'config.User',
        fix: 'add an unprivileged user (RUN adduser -D -u 1000 app) and `USER app` at the end of the Dockerfile',
      },
    ];
  },
};
