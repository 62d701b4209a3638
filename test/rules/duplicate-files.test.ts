import { duplicateFiles } from '../../rules/duplicateFiles.js';
import { built, corpusRules, ruleCases } from '../helpers/ruleCases.js';

const same = Buffer.alloc(5000, 1);

ruleCases(duplicateFiles, {
  valid: [
    { name: 'small identical files (under 4 KiB) are not worth a finding', image: built({ layers: [{ items: [{ name: 'small1', content: 'x' }, { name: 'small2', content: 'x' }] }] }) },
    { name: 'a hard link is not a second copy', image: built({ layers: [{ items: [{ name: 'a', content: same }, { name: 'b', type: 'link', linkname: 'a' }] }] }) },
    { name: 'a copy deleted in a later layer is not in the final image', image: built({ layers: [{ items: [{ name: 'a', content: same }, { name: 'b', content: same }] }, { items: [{ name: '.wh.b', content: '' }] }] }) },
  ],
  invalid: [
    {
      // two busybox copies (su-copy, sg-copy) beside /bin/busybox: 2 x 1982256 bytes, the copies from L2
      name: 'setuid-tiny: three copies of busybox (corpus-rules EXPECTED §1)',
      image: corpusRules('setuid-tiny'),
      findings: [
        {
          path: '/bin/busybox',
          layer: 1,
          bytes: 2 * 1982256,
          message: /^3 identical copies of 1982256 bytes: \/bin\/busybox, \/usr\/local\/bin\/sg-copy, \/usr\/local\/bin\/su-copy/,
        },
      ],
    },
    {
      name: 'identical content at two paths; different content and small files are not grouped',
      image: built({ layers: [{ items: [{ name: 'a', content: same }, { name: 'b', content: same }, { name: 'c', content: Buffer.alloc(5000, 2) }, { name: 'small1', content: 'x' }, { name: 'small2', content: 'x' }] }] }),
      findings: [{ path: '/a', layer: 0, bytes: 5000, fix: 'keep /a and link the others to it' }],
    },
    {
      name: 'groups are ordered by the bytes they would save',
      image: built({ layers: [{ items: [{ name: 'a', content: same }, { name: 'b', content: same }, { name: 'x', content: Buffer.alloc(8000, 3) }, { name: 'y', content: Buffer.alloc(8000, 3) }] }] }),
      findings: [{ path: '/x', bytes: 8000 }, { path: '/a', bytes: 5000 }],
    },
  ],
});
