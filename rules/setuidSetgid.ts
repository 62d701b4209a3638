import type { Rule } from './types.js';

/** Regular files with the setuid or setgid bit in the final filesystem (directories are not reported). */
export const setuidSetgid: Rule = {
  meta: {
    id: 'setuid-setgid',
    title: 'setuid/setgid files',
    severity: 'warn',
    docs:
      'Reports regular files in the final image whose mode has the setuid (04000) or setgid (02000) bit. Such a ' +
      'binary runs with its owner\'s or group\'s privileges whoever starts it, which turns any bug in it into a ' +
      'privilege escalation inside the container. Files whose bit a later layer removed, or that a later layer ' +
      'deleted, are not reported; the layer that set the bit is named. Fix: `chmod u-s,g-s FILE` in the layer ' +
      'that adds it, or remove the binary if the image does not need it.',
    related: ['dockle CIS-DI-0008', 'CIS Docker Benchmark 4.8'],
  },
  check(ctx) {
    const out = [];
    for (const e of ctx.tree.entries()) {
      if (e.kind !== 'file' || (e.mode & 0o6000) === 0) continue;
      const bits = [(e.mode & 0o4000) !== 0 ? 'setuid' : '', (e.mode & 0o2000) !== 0 ? 'setgid' : ''].filter(Boolean).join('+');
      out.push({
        message: `${e.path} is ${bits} (mode ${(e.mode & 0o7777).toString(8).padStart(4, '0')}, owner ${e.uid}:${e.gid}), set in layer ${e.layer}`,
        path: e.path,
        layer: ctx.layerRef(e.layer),
        fix: `chmod ${(e.mode & 0o4000) !== 0 ? 'u-s' : ''}${(e.mode & 0o6000) === 0o6000 ? ',' : ''}${(e.mode & 0o2000) !== 0 ? 'g-s' : ''} ${e.path} in the layer that adds it, or remove it`,
      });
    }
    return out.sort((a, b) => (a.path! < b.path! ? -1 : 1));
  },
};
