import { findingPerFile } from './support/perFile.js';
import type { Rule } from './support/types.js';

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
    tags: ['security', 'external/cwe/cwe-250'],
    precision: 'very-high',
    securitySeverity: 5.5,
  },
  check(ctx) {
    return findingPerFile(ctx, (e) => {
      if ((e.mode & 0o6000) === 0) return undefined;
      const suid = (e.mode & 0o4000) !== 0;
      const sgid = (e.mode & 0o2000) !== 0;
      const bits = [suid ? 'setuid' : '', sgid ? 'setgid' : ''].filter(Boolean).join('+');
      return {
        message: `${e.path} is ${bits} (mode ${(e.mode & 0o7777).toString(8).padStart(4, '0')}, owner ${e.uid}:${e.gid}), set in layer ${e.layer}`,
        fix: `chmod ${[suid ? 'u-s' : '', sgid ? 'g-s' : ''].filter(Boolean).join(',')} ${e.path} in the layer that adds it, or remove it`,
      };
    });
  },
};
