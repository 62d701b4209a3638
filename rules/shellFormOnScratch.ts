import { isShellForm } from '../src/analysis/executables.js';
import type { Finding, Rule } from './support/types.js';

/** A shell-form CMD/ENTRYPOINT/HEALTHCHECK in an image that has no /bin/sh: the container cannot start. */
export const shellFormOnScratch: Rule = {
  meta: {
    id: 'shell-form-on-scratch',
    title: 'shell form without a shell',
    severity: 'error',
    docs:
      'Reports a CMD or ENTRYPOINT in shell form (`CMD server --port 80`, stored as ["/bin/sh","-c","…"]) or a ' +
      'HEALTHCHECK CMD-SHELL in an image whose final filesystem has no /bin/sh (symlinks are followed inside the ' +
      'image, e.g. /bin/sh -> busybox). Typical of FROM scratch and distroless images. The container fails at start ' +
      'with `exec: "/bin/sh": stat /bin/sh: no such file or directory`. Fix: use the exec form, ' +
      '`CMD ["/server", "--port", "80"]`, or add a shell.',
    related: ['hadolint DL3025'],
    tags: ['correctness', 'reliability'],
    precision: 'very-high',
  },
  check(ctx) {
    const c = ctx.image.config;
    const uses: Array<[string, string]> = [];
    if (isShellForm(c.entrypoint)) uses.push(['config.Entrypoint', `ENTRYPOINT ${c.entrypoint!.slice(2).join(' ')}`]);
    else if (!c.entrypoint?.length && isShellForm(c.cmd)) uses.push(['config.Cmd', `CMD ${c.cmd!.slice(2).join(' ')}`]);
    if (c.healthcheck?.test[0] === 'CMD-SHELL') uses.push(['config.Healthcheck', `HEALTHCHECK CMD ${c.healthcheck.test.slice(1).join(' ')}`]);
    if (uses.length === 0) return [];
    const sh = ctx.tree.resolve('/bin/sh');
    if (sh.ok && sh.entry.kind === 'file' && (sh.entry.mode & 0o111) !== 0) return [];
    const detail = sh.ok ? `/bin/sh resolves to ${sh.path}, which is not an executable file` : sh.reason === 'loop' ? '/bin/sh is a symlink loop' : `there is no /bin/sh (${sh.at} is missing)`;
    return uses.map(
      ([field, what]): Finding => ({
        message: `${what} runs through /bin/sh, but ${detail}: the container fails with exec: "/bin/sh": stat /bin/sh: no such file or directory`,
        configField: field,
        fix: 'use the exec form, e.g. CMD ["/app", "--flag"], or add a shell to the image',
      }),
    );
  },
};
