import { setuidSetgid } from '../../rules/setuidSetgid.js';
import { built, corpusRules, ruleCases } from '../helpers/ruleCases.js';

ruleCases(setuidSetgid, {
  valid: [
    { name: 'waste-tiny has no set-id file (corpus-rules EXPECTED §2)', image: corpusRules('waste-tiny') },
    {
      name: 'a bit removed by a later layer, a file deleted later, a setgid directory',
      image: built({
        layers: [
          { items: [{ name: 'bin/' }, { name: 'bin/a', content: 'a', mode: 0o4755 }, { name: 'bin/b', content: 'b', mode: 0o2755 }, { name: 'shared/', mode: 0o2775 }] },
          { items: [{ name: 'bin/' }, { name: 'bin/a', content: 'a', mode: 0o755 }, { name: 'bin/.wh.b', content: '' }] },
        ],
      }),
    },
  ],
  invalid: [
    {
      // was-suid (bit cleared in L3), tmp-suid (deleted in L4) and the setgid /srv/shared are not findings
      name: 'setuid-tiny (corpus-rules EXPECTED §1): exactly sg-copy and su-copy, from the first user layer',
      image: corpusRules('setuid-tiny'),
      findings: [
        { path: '/usr/local/bin/sg-copy', layer: 1, base: false, message: /is setgid \(mode 2755, owner 0:0\)/ },
        { path: '/usr/local/bin/su-copy', layer: 1, base: false, message: /is setuid \(mode 4755, owner 0:0\)/ },
      ],
    },
    {
      name: 'both bits on one file: one finding that clears both',
      image: built({
        layers: [
          { items: [{ name: 'bin/' }, { name: 'bin/a', content: 'a', mode: 0o4755 }, { name: 'bin/c', content: 'c', mode: 0o6755 }] },
          { items: [{ name: 'bin/' }, { name: 'bin/a', content: 'a', mode: 0o755 }] },
        ],
      }),
      findings: [{ path: '/bin/c', layer: 0, message: /is setuid\+setgid \(mode 6755/, fix: 'chmod u-s,g-s /bin/c in the layer that adds it, or remove it' }],
    },
  ],
});
