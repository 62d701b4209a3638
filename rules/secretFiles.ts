import { findingPerFile } from './support/perFile.js';
import type { Rule } from './support/types.js';

const SECRET_NAMES: ReadonlyArray<[RegExp, string]> = [
  [/(^|\/)\.env(\.[\w-]+)?$/, 'a dotenv file'],
  [/(^|\/)\.aws\/credentials$/, 'AWS credentials'],
  [/(^|\/)\.docker\/config\.json$/, 'Docker registry credentials'],
  [/(^|\/)\.git-credentials$/, 'git credentials'],
  [/(^|\/)\.netrc$/, 'a .netrc with passwords'],
  [/(^|\/)\.pgpass$/, 'PostgreSQL passwords'],
  [/(^|\/)id_(rsa|dsa|ecdsa|ed25519)$/, 'an SSH private key'],
  [/\.(pem|key|p12|pfx)$/, 'a key or certificate bundle'],
  [/(^|\/)credentials(\.json)?$/, 'a credentials file'],
];

/** One pass over a path for all the names: nine tests per file were most of this rule's time on 40,000 files. */
const ANY_SECRET_NAME = new RegExp(SECRET_NAMES.map(([re]) => `(?:${re.source})`).join('|'));

/** Private keys (by content header) and credential files (by name) in the final image. */
export const secretFiles: Rule = {
  meta: {
    id: 'secret-files',
    title: 'private keys and credentials in the image',
    severity: 'error',
    docs:
      'Reports files whose first bytes are a private key (PEM `-----BEGIN … PRIVATE KEY-----`, whatever the file is ' +
      'called) and files named like credentials (.env, .aws/credentials, .docker/config.json, .git-credentials, ' +
      '.netrc, .pgpass, id_rsa…). Anyone who can pull the image can read them, and deleting them in a later layer ' +
      'does not help: the bytes stay in the layer that added them. Fix: pass secrets at run time, or use ' +
      '`RUN --mount=type=secret` at build time; add the files to .dockerignore.',
    related: ['dockle CIS-DI-0010', 'trivy secret scanning'],
    tags: ['security', 'external/cwe/cwe-798'],
    precision: 'medium',
    securitySeverity: 8.0,
  },
  check(ctx) {
    return findingPerFile(ctx, (e) => {
      if (e.probe?.secretHeader) {
        return { message: `${e.path} holds a private key (${e.probe.secretHeader})`, fix: 'remove the key from the build context; mount it at run time instead' };
      }
      const hit = ANY_SECRET_NAME.test(e.path) ? SECRET_NAMES.find(([re]) => re.test(e.path)) : undefined;
      if (!hit || e.size === 0 || e.path.startsWith('/usr/share/') || e.path.startsWith('/etc/ssl/certs/')) return undefined;
      return { message: `${e.path} looks like ${hit[1]} (${e.size} bytes)`, fix: 'keep it out of the image (.dockerignore); pass secrets at run time or with RUN --mount=type=secret' };
    });
  },
};
