import { userNotFound } from '../../rules/userNotFound.js';
import { built, corpusRules, ruleCases } from '../helpers/ruleCases.js';
import { withUser } from '../helpers/userImages.js';

const user = { configField: 'config.User' };

ruleCases(userNotFound, {
  valid: [
    { name: 'numeric ids need no entry: "1234:5678"', image: built(withUser('1234:5678')) },
    { name: 'numeric "1000" without a passwd entry (waste-tiny, corpus-rules EXPECTED §2)', image: corpusRules('waste-tiny') },
    { name: 'a user and a group that exist: "app:app"', image: built(withUser('app:app')) },
    { name: 'User unset', image: corpusRules('setuid-tiny') },
  ],
  invalid: [
    {
      name: "user-missing cannot start, with the runtime's own message (EXPECTED §5)",
      image: corpusRules('user-missing'),
      findings: [{ ...user, message: 'unable to find user app: no matching entries in passwd file' }],
    },
    { name: 'a name /etc/passwd does not have', image: built(withUser('ghost')), findings: [{ ...user, message: /unable to find user ghost/ }] },
    { name: 'a missing group is its own finding', image: built(withUser('app:staff')), findings: [{ ...user, message: 'unable to find group staff: no matching entries in group file' }] },
    {
      name: 'no /etc/passwd at all',
      image: built({ config: { User: 'app' }, layers: [{ items: [{ name: 'bin/' }] }] }),
      findings: [{ ...user, message: /\(the image has no \/etc\/passwd\)/ }],
    },
  ],
});
