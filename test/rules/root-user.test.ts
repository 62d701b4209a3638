import { join } from 'node:path';
import { rootUser } from '../../rules/rootUser.js';
import { built, corpusRules, ruleCases, shared } from '../helpers/ruleCases.js';
import { IMAGES } from '../helpers/shared.js';
import { withUser } from '../helpers/userImages.js';

const asRoot = { configField: 'config.User' };

ruleCases(rootUser, {
  valid: [
    { name: 'USER "1000" (waste-tiny, corpus-rules EXPECTED §2)', image: corpusRules('waste-tiny') },
    { name: 'USER web, in /etc/passwd (corpus busybox-tiny)', image: shared(join(IMAGES, 'corpus', 'oci-archive', 'busybox-tiny.tar')) },
    ...['app', '1000', '1000:0'].map((u) => ({ name: `User "${u}"`, image: built(withUser(u)) })),
  ],
  invalid: [
    { name: 'User unset (setuid-tiny, EXPECTED §1)', image: corpusRules('setuid-tiny'), findings: [{ ...asRoot, message: /User is not set/ }] },
    { name: 'User "0:0" (root-numeric, EXPECTED §6)', image: corpusRules('root-numeric'), findings: [{ ...asRoot, message: /User is "0:0"/ }] },
    { name: 'toor has uid 0 in /etc/passwd', image: built(withUser('toor')), findings: [{ ...asRoot, message: /User "toor" has uid 0 in \/etc\/passwd/ }] },
    ...['root', '0', 'root:app', '0:1000', '000'].map((u) => ({ name: `User "${u}"`, image: built(withUser(u)), findings: [asRoot] })),
  ],
});
