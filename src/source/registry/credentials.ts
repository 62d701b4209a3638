import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../../errors.js';
import { DOCKER_HUB } from './reference.js';

/** Credentials for one registry, and where they came from (for messages when the registry rejects them). */
export interface Credentials {
  readonly username?: string;
  readonly password?: string;
  /** An OAuth2 refresh token (`identitytoken`, or a helper's `<token>` user): traded at the token endpoint. */
  readonly identityToken?: string;
  /** A bearer token to send as it is (`registrytoken`). */
  readonly registryToken?: string;
  readonly from: string;
}

export interface CredentialOptions {
  readonly env: NodeJS.ProcessEnv;
  readonly home: string;
  /** --username with --password-stdin: used before any file. */
  readonly explicit?: { readonly username: string; readonly password: string };
}

/** The files users already have, in the order podman and skopeo read them (docker's own config last). */
export function authFiles(o: CredentialOptions): string[] {
  const files: string[] = [];
  if (o.env['REGISTRY_AUTH_FILE']) files.push(o.env['REGISTRY_AUTH_FILE']);
  if (o.env['XDG_RUNTIME_DIR']) files.push(join(o.env['XDG_RUNTIME_DIR'], 'containers', 'auth.json'));
  files.push(join(o.env['XDG_CONFIG_HOME'] ?? join(o.home, '.config'), 'containers', 'auth.json'));
  files.push(join(o.env['DOCKER_CONFIG'] ?? join(o.home, '.docker'), 'config.json'));
  return files;
}

interface AuthEntry {
  auth?: unknown;
  username?: unknown;
  password?: unknown;
  identitytoken?: unknown;
  registrytoken?: unknown;
}

interface AuthFile {
  auths?: Record<string, AuthEntry>;
  credHelpers?: Record<string, string>;
  credsStore?: string;
}

/** `https://index.docker.io/v1/` → docker.io; `ghcr.io/org` keeps its path (podman scopes entries by namespace). */
export function normalizeAuthKey(key: string): string {
  const k = key.replace(/^https?:\/\//, '').replace(/\/+$/, '');
  const [host, ...path] = k.split('/');
  const h = host === 'index.docker.io' || host === 'registry-1.docker.io' ? DOCKER_HUB : host!;
  const p = path.join('/').replace(/^v[12]$/, '');
  return p ? `${h}/${p}` : h;
}

function readAuthFile(path: string): AuthFile | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
  try {
    const j = JSON.parse(text) as unknown;
    return typeof j === 'object' && j !== null ? (j as AuthFile) : undefined;
  } catch (err) {
    throw new InputError(`${path}: invalid JSON (${(err as Error).message})`);
  }
}

function fromEntry(e: AuthEntry, from: string): Credentials | undefined {
  const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
  if (str(e.registrytoken)) return { registryToken: str(e.registrytoken)!, from };
  if (str(e.identitytoken)) return { identityToken: str(e.identitytoken)!, from };
  if (str(e.auth)) {
    const plain = Buffer.from(str(e.auth)!, 'base64').toString('utf8');
    const i = plain.indexOf(':');
    if (i < 0) throw new InputError(`${from}: the auth entry is not base64 of user:password`);
    return { username: plain.slice(0, i), password: plain.slice(i + 1), from };
  }
  if (str(e.username) && typeof e.password === 'string') return { username: str(e.username)!, password: e.password, from };
  return undefined;
}

/** The most specific `auths` entry: `host/org/app`, then `host/org`, then `host`. */
function matchEntry(auths: Record<string, AuthEntry>, registry: string, repository: string): AuthEntry | undefined {
  const byKey = new Map(Object.entries(auths).map(([k, v]) => [normalizeAuthKey(k), v]));
  const parts = repository.split('/');
  for (let n = parts.length; n >= 0; n--) {
    const key = n === 0 ? registry : `${registry}/${parts.slice(0, n).join('/')}`;
    const e = byKey.get(key);
    if (e) return e;
  }
  return undefined;
}

/** What docker passes a credential helper: the host as logged in, Docker Hub by its legacy URL. */
function helperServerUrl(registry: string): string {
  return registry === DOCKER_HUB ? 'https://index.docker.io/v1/' : registry;
}

/** `docker-credential-NAME get`, the registry on stdin, `{Username, Secret}` on stdout. */
export function runCredentialHelper(name: string, registry: string, o: CredentialOptions, from: string): Promise<Credentials | undefined> {
  const bin = `docker-credential-${name}`;
  return new Promise((resolve, reject) => {
    const child = spawn(bin, ['get'], { stdio: ['pipe', 'pipe', 'pipe'], env: o.env });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.stdin.on('error', () => {});
    child.on('error', (e: NodeJS.ErrnoException) =>
      reject(new InputError(e.code === 'ENOENT' ? `${from}: credential helper ${bin} is not on PATH` : `${from}: cannot run ${bin} (${e.message})`)),
    );
    child.on('close', (code) => {
      const said = (out.trim() || err.trim()).split('\n').at(-1) ?? '';
      if (code !== 0) {
        // the helpers' protocol: "credentials not found" on stdout and exit 1 when it has nothing for the host
        if (/not found/i.test(said)) return resolve(undefined);
        return reject(new InputError(`${from}: credential helper ${bin} failed for ${registry} (exit ${code}): ${said}`));
      }
      let j: { Username?: unknown; Secret?: unknown };
      try {
        j = JSON.parse(out) as typeof j;
      } catch {
        return reject(new InputError(`${from}: credential helper ${bin} printed no JSON for ${registry}`));
      }
      const user = typeof j.Username === 'string' ? j.Username : '';
      const secret = typeof j.Secret === 'string' ? j.Secret : '';
      const source = `${from} (credential helper ${bin})`;
      if (!secret) return resolve(undefined);
      resolve(user === '<token>' ? { identityToken: secret, from: source } : { username: user, password: secret, from: source });
    });
    child.stdin.end(helperServerUrl(registry) + '\n');
  });
}

/**
 * Credentials for a registry as docker, podman and skopeo find them: --username first; then each auth file in
 * turn, where a `credHelpers` entry for the host wins, then `credsStore`, then the file's own `auths`.
 */
export async function findCredentials(registry: string, repository: string, o: CredentialOptions): Promise<Credentials | undefined> {
  if (o.explicit) return { ...o.explicit, from: '--username/--password-stdin' };
  for (const file of authFiles(o)) {
    const f = readAuthFile(file);
    if (!f) continue;
    const helper = f.credHelpers && Object.entries(f.credHelpers).find(([k]) => normalizeAuthKey(k) === registry)?.[1];
    if (helper) {
      const c = await runCredentialHelper(helper, registry, o, file);
      if (c) return c;
      continue;
    }
    if (f.credsStore) {
      const c = await runCredentialHelper(f.credsStore, registry, o, file);
      if (c) return c;
    }
    const e = f.auths && matchEntry(f.auths, registry, repository);
    const c = e && fromEntry(e, file);
    if (c) return c;
  }
  return undefined;
}
