/**
 * A real distribution registry (Debian's docker-registry, distribution 2.8) for the tests: each instance has its own
 * config, listens on 127.0.0.1 on a free port and serves a storage directory the test owns. Several instances may
 * serve one storage directory (pushed once, read by a plain, a TLS + htpasswd and a token-auth front). Images go
 * in with skopeo, byte for byte (--preserve-digests). .ci/run installs both.
 */
import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const which = (bin: string) => spawnSync('sh', ['-c', `command -v ${bin}`]).status === 0;

/** Why the registry tests cannot run here, or undefined when they can. */
export function registryToolsMissing(): string | undefined {
  const missing = ['docker-registry', 'skopeo', 'openssl', 'htpasswd'].filter((b) => !which(b));
  return missing.length > 0 ? `not installed: ${missing.join(', ')} (apt-get install docker-registry skopeo openssl apache2-utils)` : undefined;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export interface RegistryAuth {
  /** htpasswd file (bcrypt) for Basic auth. */
  readonly htpasswd?: string;
  /** Bearer tokens from the given realm, signed by the key whose certificate is `rootCert`. */
  readonly token?: { readonly realm: string; readonly service: string; readonly issuer: string; readonly rootCert: string };
}

export interface RegistryOptions {
  readonly dir: string;
  readonly storage: string;
  readonly tls?: { readonly cert: string; readonly key: string };
  readonly auth?: RegistryAuth;
  /** Keep the port of an earlier instance (a restart). */
  readonly port?: number;
}

export interface Registry {
  readonly host: string;
  readonly port: number;
  readonly options: RegistryOptions;
  /** SIGKILL: the registry vanishes mid-request, as a crashed or redeployed one does. */
  kill(): Promise<void>;
  stop(): Promise<void>;
}

function configYaml(o: RegistryOptions, port: number): string {
  const lines = [
    'version: 0.1',
    'log:',
    '  level: error',
    '  accesslog:',
    '    disabled: true',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${o.storage}`,
    '  delete:',
    '    enabled: true',
    'http:',
    `  addr: 127.0.0.1:${port}`,
  ];
  if (o.tls) lines.push('  tls:', `    certificate: ${o.tls.cert}`, `    key: ${o.tls.key}`);
  if (o.auth?.htpasswd) lines.push('auth:', '  htpasswd:', '    realm: fathom-test', `    path: ${o.auth.htpasswd}`);
  if (o.auth?.token) {
    const t = o.auth.token;
    lines.push('auth:', '  token:', `    realm: ${t.realm}`, `    service: ${t.service}`, `    issuer: ${t.issuer}`, `    rootcertbundle: ${t.rootCert}`);
  }
  return lines.join('\n') + '\n';
}

/** Any HTTP answer from /v2/ (200, or 401 when auth is on) means the registry is serving. */
function answers(port: number, tls: boolean): Promise<boolean> {
  return new Promise((resolve) => {
    const req = (tls ? httpsRequest : httpRequest)(
      { host: '127.0.0.1', port, path: '/v2/', method: 'GET', timeout: 1000, rejectUnauthorized: false },
      (res) => {
        res.resume();
        resolve(true);
      },
    );
    req.on('error', () => resolve(false));
    req.on('timeout', () => {
      req.destroy();
      resolve(false);
    });
    req.end();
  });
}

function exited(child: ChildProcess, ms: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return Promise.race([new Promise<void>((r) => child.once('exit', () => r())), new Promise<void>((r) => setTimeout(r, ms))]);
}

export async function startRegistry(o: RegistryOptions): Promise<Registry> {
  mkdirSync(o.dir, { recursive: true });
  mkdirSync(o.storage, { recursive: true });
  const port = o.port ?? (await freePort());
  const config = join(o.dir, `config-${port}.yml`);
  writeFileSync(config, configYaml(o, port));
  const logFile = join(o.dir, `registry-${port}.log`);
  const log = openSync(logFile, 'a');
  const child = spawn('docker-registry', ['serve', config], { stdio: ['ignore', log, log] });
  closeSync(log);
  const end = Date.now() + 20000;
  while (!(await answers(port, o.tls !== undefined))) {
    if (child.exitCode !== null || Date.now() > end) {
      child.kill('SIGKILL');
      throw new Error(`docker-registry did not start on 127.0.0.1:${port}: ${readFileSync(logFile, 'utf8').slice(-2000)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    host: `127.0.0.1:${port}`,
    port,
    options: o,
    kill: async () => {
      child.kill('SIGKILL');
      await exited(child, 5000);
    },
    stop: async () => {
      child.kill('SIGTERM');
      await exited(child, 5000);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}

export interface PushOptions {
  /** Copy every platform of an index (skopeo --all). */
  readonly all?: boolean;
  /** Let skopeo convert the manifest (e.g. v2s2); the blobs stay the same bytes when no recompression is needed. */
  readonly format?: 'v2s2' | 'oci';
}

/** skopeo copy SRC docker://HOST/REF over plain HTTP. Without a format change the manifest's digest is kept too. */
export async function push(src: string, registry: Registry, ref: string, o: PushOptions = {}): Promise<void> {
  const args = ['copy', '-q', '--dest-tls-verify=false', '--dest-no-creds', ...(o.all ? ['--all'] : []), ...(o.format ? ['--format', o.format] : ['--preserve-digests'])];
  await run('skopeo', [...args, src, `docker://${registry.host}/${ref}`]);
}

/** A bcrypt htpasswd file (the only hash the registry accepts). */
export function writeHtpasswd(path: string, user: string, password: string): void {
  const r = spawnSync('htpasswd', ['-Bbn', user, password]);
  if (r.status !== 0) throw new Error(`htpasswd failed: ${r.stderr.toString()}`);
  writeFileSync(path, r.stdout);
}

/** Where the registry keeps a blob's bytes (its filesystem driver's layout). */
export function blobDataPath(storage: string, digest: string): string {
  const hex = digest.replace(/^sha256:/, '');
  return join(storage, 'docker', 'registry', 'v2', 'blobs', 'sha256', hex.slice(0, 2), hex, 'data');
}
