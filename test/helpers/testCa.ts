/**
 * Certificates made with openssl for one test run: a CA, a server certificate for 127.0.0.1/localhost signed by it,
 * and a self-signed key pair for signing registry tokens. Nothing here is trusted by the system.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface TestCa {
  /** The CA certificate (PEM): what a client must be told to trust. */
  readonly caCert: string;
  readonly serverCert: string;
  readonly serverKey: string;
}

const openssl = (args: string[], cwd: string) => execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });

export function makeTestCa(dir: string): TestCa {
  openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '2', '-subj', '/CN=fathom test CA'], dir);
  openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1'], dir);
  writeFileSync(join(dir, 'san.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n');
  openssl(['x509', '-req', '-in', 'server.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.crt', '-days', '2', '-extfile', 'san.ext'], dir);
  return { caCert: join(dir, 'ca.crt'), serverCert: join(dir, 'server.crt'), serverKey: join(dir, 'server.key') };
}

export interface SigningKey {
  readonly key: string;
  readonly cert: string;
}

/** A self-signed RSA key pair: the registry trusts tokens whose x5c chain ends in this certificate. */
export function makeSigningKey(dir: string): SigningKey {
  openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'token.key', '-out', 'token.crt', '-days', '2', '-subj', '/CN=fathom test token issuer'], dir);
  return { key: join(dir, 'token.key'), cert: join(dir, 'token.crt') };
}
