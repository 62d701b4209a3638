import { emptyPassword } from '../../rules/emptyPassword.js';
import { built, corpusRules, ruleCases, shared } from '../helpers/ruleCases.js';
import { DIVE_FIXTURE } from '../helpers/shared.js';

ruleCases(emptyPassword, {
  valid: [
    { name: 'locked accounts (! and *)', image: built({ layers: [{ items: [{ name: 'etc/' }, { name: 'etc/shadow', content: 'root:!:1::::::\napp:*:1::::::\n' }] }] }) },
    { name: 'no /etc/shadow at all (dynamic-scratch-ok has no /etc, corpus-rules EXPECTED §4)', image: corpusRules('dynamic-scratch-ok') },
  ],
  invalid: [
    {
      name: "busybox's root has an empty password field, from the base layer (dive's fixture)",
      image: shared(DIVE_FIXTURE),
      findings: [{ path: '/etc/shadow', layer: 0, base: true, message: 'user root has an empty password in /etc/shadow', fix: 'lock the account: RUN passwd -l root' }],
    },
    {
      name: 'one finding per passwordless account, locked ones skipped',
      image: built({ layers: [{ items: [{ name: 'etc/' }, { name: 'etc/shadow', content: 'root:!:1::::::\nann::1::::::\nbob::1::::::\n' }] }] }),
      findings: [
        { path: '/etc/shadow', message: 'user ann has an empty password in /etc/shadow' },
        { path: '/etc/shadow', message: 'user bob has an empty password in /etc/shadow' },
      ],
    },
  ],
});
