/**
 * The token endpoint of the docker token auth scheme, as the registry's `auth: token` expects one: it checks Basic
 * credentials, then signs a JWT (RS256, the signing certificate in the x5c header) granting the requested scopes.
 * Every request is recorded so the tests can see what the client sent.
 */
import { X509Certificate, createSign, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { SigningKey } from './testCa.js';

export interface TokenRequest {
  readonly service: string | null;
  readonly scopes: string[];
  /** The user of the Basic credentials sent, if any. */
  readonly user: string | undefined;
  readonly granted: boolean;
}

export interface TokenServer {
  readonly realm: string;
  readonly service: string;
  readonly issuer: string;
  readonly requests: TokenRequest[];
  close(): Promise<void>;
}

const b64url = (b: Buffer | string) => Buffer.from(b).toString('base64url');

function jwt(key: SigningKey, claims: Record<string, unknown>): string {
  const der = new X509Certificate(readFileSync(key.cert)).raw;
  const head = b64url(JSON.stringify({ typ: 'JWT', alg: 'RS256', x5c: [der.toString('base64')] }));
  const body = b64url(JSON.stringify(claims));
  const sig = createSign('RSA-SHA256').update(`${head}.${body}`).sign(readFileSync(key.key));
  return `${head}.${body}.${b64url(sig)}`;
}

/** `repository:corpus/app:pull,push` → the JWT access entry. */
function access(scope: string) {
  const parts = scope.split(':');
  return { type: parts[0], name: parts.slice(1, -1).join(':'), actions: (parts.at(-1) ?? '').split(',').filter(Boolean) };
}

export async function startTokenServer(key: SigningKey, user: string, password: string): Promise<TokenServer> {
  const service = 'fathom-test-registry';
  const issuer = 'fathom-test-issuer';
  const requests: TokenRequest[] = [];
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const auth = req.headers.authorization;
    const [u, p] = auth?.startsWith('Basic ') ? Buffer.from(auth.slice(6), 'base64').toString().split(/:(.*)/s) : [undefined, undefined];
    const granted = u === user && p === password;
    const scopes = url.searchParams.getAll('scope').flatMap((s) => s.split(' ')).filter(Boolean);
    requests.push({ service: url.searchParams.get('service'), scopes, user: u, granted });
    if (!granted) {
      res.writeHead(401, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ details: 'incorrect username or password' }));
      return;
    }
    const now = Math.floor(Date.now() / 1000);
    const token = jwt(key, {
      iss: issuer,
      sub: u,
      aud: url.searchParams.get('service') ?? service,
      exp: now + 300,
      nbf: now - 10,
      iat: now,
      jti: randomBytes(8).toString('hex'),
      access: scopes.map(access),
    });
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ token, expires_in: 300, issued_at: new Date(now * 1000).toISOString() }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    realm: `http://127.0.0.1:${port}/token`,
    service,
    issuer,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
