import { join } from 'node:path';
import { shellFormOnScratch } from '../../rules/shellFormOnScratch.js';
import { busybox } from '../helpers/realBinaries.js';
import { built, ruleCases, shared } from '../helpers/ruleCases.js';
import { IMAGES } from '../helpers/shared.js';

const corpus = (name: string) => shared(...['docker-engine', 'oci-archive', 'docker-archive'].map((l) => join(IMAGES, 'corpus', l, `${name}.tar`)));
const shellCmd = { Cmd: ['/bin/sh', '-c', 'exec server'] };
const noSh = /exec: "\/bin\/sh": stat \/bin\/sh: no such file or directory/;

ruleCases(shellFormOnScratch, {
  valid: [
    { name: 'scratch-json-user: exec form, no shell needed', image: corpus('scratch-json-user') },
    {
      name: '/bin/sh -> busybox resolves',
      image: built(async () => ({ config: shellCmd, layers: [{ items: [{ name: 'bin/' }, { name: 'bin/busybox', content: await busybox(), mode: 0o755 }, { name: 'bin/sh', type: 'symlink', linkname: 'busybox' }] }] })),
    },
    {
      name: '/bin -> usr/bin, then an absolute link to the shell',
      image: built(async () => ({
        config: shellCmd,
        layers: [{ items: [{ name: 'usr/' }, { name: 'usr/bin/' }, { name: 'usr/bin/busybox', content: await busybox(), mode: 0o755 }, { name: 'bin', type: 'symlink', linkname: 'usr/bin' }, { name: 'usr/bin/sh', type: 'symlink', linkname: '/bin/busybox' }] }],
      })),
    },
  ],
  invalid: [
    { name: 'scratch-shell-cmd: CMD in shell form and no /bin/sh', image: corpus('scratch-shell-cmd'), findings: [{ configField: 'config.Cmd', message: noSh }] },
    {
      name: 'a loop of symlinks is no shell',
      image: built({ config: shellCmd, layers: [{ items: [{ name: 'bin/' }, { name: 'bin/sh', type: 'symlink', linkname: 'ash' }, { name: 'bin/ash', type: 'symlink', linkname: '/bin/sh' }] }] }),
      findings: [{ configField: 'config.Cmd', message: /\/bin\/sh is a symlink loop/ }],
    },
    {
      name: 'a HEALTHCHECK CMD-SHELL needs the shell too',
      image: built({ config: { Cmd: ['/app'], Healthcheck: { Test: ['CMD-SHELL', 'curl -f localhost'] } }, layers: [{ items: [{ name: 'app', content: 'x', mode: 0o755 }] }] }),
      findings: [{ configField: 'config.Healthcheck' }],
    },
    {
      name: 'a shell-form ENTRYPOINT, and /bin/sh a file without an execute bit',
      image: built({ config: { Entrypoint: ['/bin/sh', '-c', 'server'] }, layers: [{ items: [{ name: 'bin/' }, { name: 'bin/sh', content: 'x', mode: 0o644 }] }] }),
      findings: [{ configField: 'config.Entrypoint', message: /\/bin\/sh resolves to \/bin\/sh, which is not an executable file/ }],
    },
  ],
});
