import { isNumeric, parsePasswd, splitUser } from './support/passwd.js';
import type { Rule } from './support/types.js';

/** USER names a user (or group) the image's /etc/passwd (or /etc/group) does not have: the container cannot start. */
export const userNotFound: Rule = {
  meta: {
    id: 'user-not-found',
    title: 'USER does not exist in the image',
    severity: 'error',
    docs:
      'Reports a config User given by name that the final image\'s /etc/passwd does not list (or a group name ' +
      'missing from /etc/group). The runtime resolves names inside the image before it starts the process, so the ' +
      'container fails with `unable to find user NAME: no matching entries in passwd file`. Numeric ids need no ' +
      'entry. Fix: create the user in the image (RUN adduser …) before USER, or use a numeric uid.',
    related: [],
    tags: ['correctness', 'reliability'],
    precision: 'high',
  },
  check(ctx) {
    const raw = ctx.image.config.user.trim();
    if (raw === '') return [];
    const { user, group } = splitUser(raw);
    const out = [];
    if (user !== '' && !isNumeric(user) && user !== 'root') {
      const passwd = parsePasswd(ctx.tree.text('/etc/passwd'));
      if (!passwd.some((p) => p.name === user)) {
        out.push({
          message: `unable to find user ${user}: no matching entries in passwd file${ctx.tree.get('/etc/passwd') ? '' : ' (the image has no /etc/passwd)'}`,
          configField: 'config.User',
          fix: `create the user in the image before USER (RUN adduser -D ${user}) or use a numeric uid`,
        });
      }
    }
    if (group !== undefined && group !== '' && !isNumeric(group) && group !== 'root') {
      // name:x:gid:members has the same four fields as passwd's first four
      const groups = parsePasswd(ctx.tree.text('/etc/group'));
      if (!groups.some((g) => g.name === group)) {
        out.push({
          message: `unable to find group ${group}: no matching entries in group file`,
          configField: 'config.User',
          fix: `create the group in the image (RUN addgroup ${group}) or use a numeric gid`,
        });
      }
    }
    return out;
  },
};
