import { packageCache } from '../../rules/packageCache.js';
import { built, corpusRules, ruleCases } from '../helpers/ruleCases.js';

const lists = { name: 'var/lib/apt/lists/deb.debian.org_dists_bookworm_InRelease', content: 'x'.repeat(1000) };

ruleCases(packageCache, {
  valid: [
    { name: 'setuid-tiny has no package cache', image: corpusRules('setuid-tiny') },
    { name: 'apt lists removed in a later layer are not in the final image', image: built({ layers: [{ items: [lists] }, { items: [{ name: 'var/lib/apt/.wh.lists', content: '' }] }] }) },
  ],
  invalid: [
    {
      name: 'waste-tiny leaves 512000 bytes of apk cache and 98504 of npm cache, both from L5 (corpus-rules EXPECTED §2)',
      image: corpusRules('waste-tiny'),
      findings: [
        { path: '/var/cache/apk', layer: 4, bytes: 512000, fix: /apk add --no-cache/ },
        { path: '/root/.npm/_cacache', layer: 4, bytes: 98504, fix: /npm cache clean/ },
      ],
    },
    {
      name: 'apt lists left in the image',
      image: built({ layers: [{ items: [lists] }] }),
      findings: [{ path: '/var/lib/apt/lists', layer: 0, bytes: 1000, fix: /rm -rf \/var\/lib\/apt\/lists/ }],
    },
  ],
});
