import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, InputError } from '../errors.js';
import { EngineClient, EngineError, endpointFromUrl, describeEndpoint, type Endpoint } from './engineApi.js';
import { ociDirArchive } from './ociDirArchive.js';
import { openArchiveFile, streamSource, type ArchiveSource } from './openArchive.js';
import { looksRemote, parseRegistryReference } from './registry/reference.js';
import { registrySource, type RegistrySource } from './registry/registryImage.js';

export type SourceKind = 'file' | 'docker' | 'podman' | 'docker-archive' | 'oci-archive' | 'oci-dir' | 'registry';
export const SOURCE_KINDS: readonly SourceKind[] = ['docker', 'podman', 'docker-archive', 'oci-archive', 'oci-dir', 'registry'];

/** Where an image's bytes come from: an archive stream, or a registry read blob by blob. */
export type ImageSource = ArchiveSource | RegistrySource;

export function isRegistrySource(s: ImageSource): s is RegistrySource {
  return 'kind' in s && s.kind === 'registry';
}

export interface ImageRef {
  readonly kind: SourceKind;
  /** A path for archives and directories, an image name or id for engines. */
  readonly target: string;
  /** `oci:DIR:TAG` names the image inside the layout. */
  readonly tag?: string;
  /** A bare name that points at a registry (`ghcr.io/org/app:1`): read from there when no local engine has it. */
  readonly registryFallback?: boolean;
}

/**
 * What the user typed → where the image comes from. Prefixes and --source choose explicitly; otherwise an existing
 * path is an archive (or an OCI layout directory), and anything else a Docker engine reference, as `dive IMAGE`.
 */
export function parseImageRef(ref: string, source?: string): ImageRef {
  const prefixes: Array<[string, SourceKind]> = [
    ['registry://', 'registry'],
    ['docker://', 'docker'],
    ['podman://', 'podman'],
    ['docker-archive:', 'docker-archive'],
    ['oci-archive:', 'oci-archive'],
    ['oci:', 'oci-dir'],
  ];
  if (source !== undefined && !(SOURCE_KINDS as readonly string[]).includes(source)) {
    throw new ConfigError(`--source ${source}: use one of ${SOURCE_KINDS.join(', ')}`);
  }
  for (const [p, kind] of prefixes) {
    if (!ref.startsWith(p)) continue;
    const rest = ref.slice(p.length);
    if (kind === 'oci-dir') {
      // oci:DIR[:TAG] — a directory name may hold colons and a tag may too (name:tag): the directory is the
      // first prefix before a colon that exists
      if (existsSync(rest)) return { kind, target: rest };
      for (let i = rest.indexOf(':'); i > 0; i = rest.indexOf(':', i + 1)) {
        if (existsSync(rest.slice(0, i))) return { kind, target: rest.slice(0, i), tag: rest.slice(i + 1) };
      }
      return { kind, target: rest };
    }
    return { kind, target: rest };
  }
  if (source) return { kind: source as SourceKind, target: ref };
  if (existsSync(ref)) {
    return statSync(ref).isDirectory() && existsSync(join(ref, 'oci-layout')) ? { kind: 'oci-dir', target: ref } : { kind: 'file', target: ref };
  }
  // a path that is not there is a missing file, not an image name (names never start with / or . or end in .tar)
  if (/^(\/|\.\.?\/|~)|\.(tar|tar\.gz|tgz|tar\.zst)$/i.test(ref)) return { kind: 'file', target: ref };
  return { kind: 'docker', target: ref, ...(looksRemote(ref) ? { registryFallback: true } : {}) };
}

/** DOCKER_HOST, else the current docker context's endpoint, else the default socket. */
export function dockerEndpoint(env: NodeJS.ProcessEnv): Endpoint {
  if (env['DOCKER_HOST']) return endpointFromUrl(env['DOCKER_HOST'], 'DOCKER_HOST', env);
  const dockerDir = env['DOCKER_CONFIG'] ?? join(homedir(), '.docker');
  let context = env['DOCKER_CONTEXT'];
  if (!context) {
    try {
      context = (JSON.parse(readFileSync(join(dockerDir, 'config.json'), 'utf8')) as { currentContext?: string }).currentContext;
    } catch {
      context = undefined;
    }
  }
  if (context && context !== 'default') {
    const meta = join(dockerDir, 'contexts', 'meta', createHash('sha256').update(context).digest('hex'), 'meta.json');
    try {
      const host = (JSON.parse(readFileSync(meta, 'utf8')) as { Endpoints?: { docker?: { Host?: string } } }).Endpoints?.docker?.Host;
      if (host) return endpointFromUrl(host, `docker context ${context}`, env);
    } catch {
      throw new InputError(`docker context ${context}: cannot read its endpoint (${meta})`);
    }
  }
  return { kind: 'unix', socketPath: '/var/run/docker.sock', via: 'the default socket' };
}

/** Podman's Docker-compatible service: CONTAINER_HOST, the rootless socket, the rootful socket. */
export function podmanEndpoints(env: NodeJS.ProcessEnv): Endpoint[] {
  if (env['CONTAINER_HOST']) return [endpointFromUrl(env['CONTAINER_HOST'], 'CONTAINER_HOST', env)];
  const out: Endpoint[] = [];
  if (env['XDG_RUNTIME_DIR']) out.push({ kind: 'unix', socketPath: join(env['XDG_RUNTIME_DIR'], 'podman', 'podman.sock'), via: 'XDG_RUNTIME_DIR' });
  out.push({ kind: 'unix', socketPath: '/run/podman/podman.sock', via: 'the rootful podman socket' });
  return out;
}

/** How to reach registries: what the user passed beyond the files and variables every tool reads. */
export interface RegistryAccess {
  readonly username?: string;
  readonly password?: string;
  /** Plain HTTP and unverified TLS allowed. */
  readonly insecure?: boolean;
  /** A PEM bundle to trust besides the system's CAs (SSL_CERT_FILE is read too). */
  readonly caFile?: string;
}

export interface EngineOptions {
  readonly pull: boolean;
  readonly env: NodeJS.ProcessEnv;
  /** Announce what is happening (stderr), e.g. which socket was used. */
  readonly note?: (line: string) => void;
  readonly registry?: RegistryAccess;
}

function readCa(path: string, via: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError(`${via} ${path}: cannot read the CA certificates (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
}

function fromRegistry(name: string, opts: EngineOptions): RegistrySource {
  const r = opts.registry ?? {};
  const extraCa = [...(r.caFile ? [readCa(r.caFile, '--ca-file')] : []), ...(opts.env['SSL_CERT_FILE'] ? [readCa(opts.env['SSL_CERT_FILE'], 'SSL_CERT_FILE')] : [])];
  const explicit = r.username !== undefined ? { username: r.username, password: r.password ?? '' } : undefined;
  return registrySource(parseRegistryReference(name, `registry://${name}`), {
    credentials: { env: opts.env, home: homedir(), ...(explicit ? { explicit } : {}) },
    insecure: r.insecure === true,
    ...(extraCa.length > 0 ? { extraCa } : {}),
    ...(opts.note ? { note: opts.note } : {}),
  });
}

/** A registry-looking name goes to the registry when the local engine is not there or does not have it. */
async function inLocalEngine(name: string, env: NodeJS.ProcessEnv): Promise<boolean> {
  try {
    return (await new EngineClient(dockerEndpoint(env)).inspect(name)) !== undefined;
  } catch (err) {
    if (err instanceof EngineError) return false;
    throw err;
  }
}

async function fromEngine(client: EngineClient, name: string, engine: string, opts: EngineOptions): Promise<ArchiveSource> {
  let found = await client.inspect(name);
  if (!found) {
    if (!opts.pull) throw new EngineError(`${engine}: image ${name} not found locally; pull it first or run again with --pull`);
    opts.note?.(`pulling ${name} through ${describeEndpoint(client.endpoint)}`);
    await client.pull(name);
    found = await client.inspect(name);
    if (!found) throw new EngineError(`${engine}: image ${name} still not found after the pull`);
  }
  // save by the name the user gave so the archive keeps its tag (an id would save it untagged)
  const res = await client.save(name);
  const size = Number(res.headers['content-length']);
  return streamSource(`${engine}://${name}`, res as AsyncIterable<Buffer>, Number.isFinite(size) && size > 0 ? size : undefined);
}

/** `podman image save` through a pipe, when no Podman service is running. */
function podmanSave(name: string, env: NodeJS.ProcessEnv): ArchiveSource {
  // the local storage, not a remote service (that one was just found unreachable)
  const { CONTAINER_HOST: _remote, ...local } = env;
  void _remote;
  const child = spawn('podman', ['image', 'save', '--format', 'docker-archive', name], { stdio: ['ignore', 'pipe', 'pipe'], env: local });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<number>((resolve, reject) => {
    child.on('error', (err: NodeJS.ErrnoException) =>
      reject(new EngineError(err.code === 'ENOENT' ? 'podman: no Podman service socket and no podman command; install podman or start `podman system service`' : `podman: ${err.message}`)),
    );
    child.on('close', (code) => resolve(code ?? 1));
  });
  async function* chunks(): AsyncGenerator<Buffer> {
    const err = exited.then((code) => (code === 0 ? undefined : code));
    for await (const c of child.stdout) yield c as Buffer;
    const code = await err;
    if (code !== undefined) {
      const msg = stderr.trim().split('\n').at(-1) ?? '';
      throw new EngineError(`podman image save ${name} failed${/not known|no such image|not found/i.test(msg) ? ' (image not found locally; pull it first or use --pull)' : ''}: ${msg}`);
    }
  }
  return { name: `podman://${name}`, chunks: chunks() };
}

export async function openImageRef(ref: ImageRef, opts: EngineOptions): Promise<ImageSource> {
  switch (ref.kind) {
    case 'registry':
      return fromRegistry(ref.target, opts);
    case 'file':
    case 'docker-archive':
    case 'oci-archive':
      return openArchiveFile(ref.target);
    case 'oci-dir':
      return ociDirArchive(ref.target);
    case 'docker': {
      if (ref.registryFallback && !opts.pull && !(await inLocalEngine(ref.target, opts.env))) {
        const source = fromRegistry(ref.target, opts);
        opts.note?.(`${ref.target} is not in the local Docker engine: reading ${source.name}`);
        return source;
      }
      const client = new EngineClient(dockerEndpoint(opts.env));
      return fromEngine(client, ref.target, 'docker', opts);
    }
    case 'podman': {
      for (const e of podmanEndpoints(opts.env)) {
        if (e.kind === 'unix' && !existsSync(e.socketPath)) continue;
        const client = new EngineClient(e);
        try {
          await client.apiPrefix();
        } catch {
          continue;
        }
        opts.note?.(`podman service at ${describeEndpoint(e)}`);
        return fromEngine(client, ref.target, 'podman', opts);
      }
      if (opts.pull) throw new EngineError('podman: --pull needs the Podman service (podman system service); none is running');
      opts.note?.('no podman service running: reading `podman image save` through a pipe');
      return podmanSave(ref.target, opts.env);
    }
  }
}
