import { join } from 'node:path';
import { worldWritable } from '../../rules/worldWritable.js';
import { built, ruleCases, shared } from '../helpers/ruleCases.js';
import { IMAGES } from '../helpers/shared.js';

const links = (layout: string) => join(IMAGES, 'corpus', layout, 'links-tiny.tar');

ruleCases(worldWritable, {
  valid: [
    {
      name: '/tmp, /var/tmp and /run/lock are exempt',
      image: built({
        layers: [
          {
            items: [
              { name: 'tmp/', mode: 0o1777 },
              { name: 'tmp/x', content: 'x', mode: 0o666 },
              { name: 'var/' },
              { name: 'var/tmp/', mode: 0o1777 },
              { name: 'var/tmp/y', content: 'y', mode: 0o666 },
              { name: 'run/' },
              { name: 'run/lock/' },
              { name: 'run/lock/z', content: 'z', mode: 0o666 },
            ],
          },
        ],
      }),
    },
  ],
  invalid: [
    {
      // links-tiny.Dockerfile: chmod 0777 mode-0777.sh is its one world-writable regular file (symlinks do not count)
      name: 'the 0777 script of links-tiny (corpus/dockerfiles/links-tiny.Dockerfile)',
      image: shared(links('docker-engine'), links('oci-archive')),
      findings: [{ path: '/data/links/mode-0777.sh', layer: 1, base: false, message: /mode 0777\)$/ }],
    },
    {
      name: 'o+w outside the temporary directories',
      image: built({ layers: [{ items: [{ name: 'tmp/', mode: 0o1777 }, { name: 'tmp/x', content: 'x', mode: 0o666 }, { name: 'srv/' }, { name: 'srv/y', content: 'y', mode: 0o646 }] }] }),
      findings: [{ path: '/srv/y', message: /mode 0646\)$/, fix: 'chmod o-w /srv/y (or COPY --chmod=0644)' }],
    },
  ],
});
