import { request, type IncomingMessage, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../errors.js';

/** How to reach an engine's Docker-compatible API: a unix socket or TCP (optionally TLS). */
export type Endpoint =
  | { readonly kind: 'unix'; readonly socketPath: string; readonly via: string }
  | { readonly kind: 'tcp'; readonly host: string; readonly port: number; readonly tls?: { ca?: Buffer; cert?: Buffer; key?: Buffer }; readonly via: string };

export function describeEndpoint(e: Endpoint): string {
  return e.kind === 'unix' ? `unix://${e.socketPath} (${e.via})` : `tcp://${e.host}:${e.port}${e.tls ? ' (TLS)' : ''} (${e.via})`;
}

/** Parse `unix:///path` or `tcp://host:port` as DOCKER_HOST, CONTAINER_HOST and docker contexts write it. */
export function endpointFromUrl(url: string, via: string, env: NodeJS.ProcessEnv = {}): Endpoint {
  if (url.startsWith('unix://')) return { kind: 'unix', socketPath: url.slice('unix://'.length), via };
  const m = /^(?:tcp|http|https):\/\/([^:/]+)(?::(\d+))?/.exec(url);
  if (!m) throw new InputError(`${via}: cannot use engine address ${url} (expected unix:///path or tcp://host:port)`);
  const verify = env['DOCKER_TLS_VERIFY'] !== undefined && env['DOCKER_TLS_VERIFY'] !== '' && env['DOCKER_TLS_VERIFY'] !== '0';
  const certPath = env['DOCKER_CERT_PATH'];
  let tls: { ca?: Buffer; cert?: Buffer; key?: Buffer } | undefined;
  if (verify || url.startsWith('https://')) {
    tls = {};
    if (certPath) {
      try {
        tls = { ca: readFileSync(join(certPath, 'ca.pem')), cert: readFileSync(join(certPath, 'cert.pem')), key: readFileSync(join(certPath, 'key.pem')) };
      } catch (err) {
        throw new InputError(`DOCKER_CERT_PATH=${certPath}: cannot read ca.pem/cert.pem/key.pem (${(err as Error).message})`);
      }
    }
  }
  return { kind: 'tcp', host: m[1]!, port: Number(m[2] ?? (tls ? 2376 : 2375)), ...(tls ? { tls } : {}), via };
}

export class EngineError extends InputError {}

/**
 * A minimal Docker Engine API client over node:http. Chosen over dockerode/docker-modem because the one call that
 * matters, GET /images/{name}/get, must stream straight into the archive reader with backpressure, and a plain
 * IncomingMessage does exactly that with no dependency; version negotiation is one /_ping.
 */
export class EngineClient {
  private version: string | undefined;

  constructor(readonly endpoint: Endpoint) {}

  private options(method: string, path: string): RequestOptions {
    const e = this.endpoint;
    const base = { method, path, headers: { Host: 'docker' } };
    if (e.kind === 'unix') return { ...base, socketPath: e.socketPath };
    return { ...base, host: e.host, port: e.port, ...(e.tls ?? {}) };
  }

  /** One request; resolves with the response (not yet read) or rejects with an error a person can act on. */
  raw(method: string, path: string): Promise<IncomingMessage> {
    const doRequest = this.endpoint.kind === 'tcp' && this.endpoint.tls ? httpsRequest : request;
    return new Promise((resolve, reject) => {
      const req = doRequest(this.options(method, path), resolve);
      req.on('error', (err: NodeJS.ErrnoException) => reject(this.connectionError(err)));
      req.end();
    });
  }

  private connectionError(err: NodeJS.ErrnoException): EngineError {
    const where = describeEndpoint(this.endpoint);
    if (err.code === 'ENOENT' || err.code === 'ECONNREFUSED') {
      return new EngineError(`no engine reachable at ${where}: ${err.code === 'ENOENT' ? 'no such socket' : 'connection refused'}; start the engine or point DOCKER_HOST (or CONTAINER_HOST for podman) at it`);
    }
    if (err.code === 'EACCES' || err.code === 'EPERM') {
      return new EngineError(`permission denied on ${where}: add your user to the docker group, or use podman's rootless socket`);
    }
    return new EngineError(`cannot reach the engine at ${where}: ${err.message}`);
  }

  async text(method: string, path: string): Promise<{ status: number; body: string }> {
    const res = await this.raw(method, path);
    const chunks: Buffer[] = [];
    for await (const c of res) chunks.push(c as Buffer);
    return { status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') };
  }

  /** `/v1.NN` from the engine's Api-Version header (capped at what fathom knows), cached. */
  async apiPrefix(): Promise<string> {
    if (this.version === undefined) {
      const res = await this.raw('GET', '/_ping');
      res.resume();
      const v = String(res.headers['api-version'] ?? '1.41');
      this.version = /^\d+\.\d+$/.test(v) ? (Number(v.split('.')[1]) > 47 ? '1.47' : v) : '1.41';
    }
    return `/v${this.version}`;
  }

  static message(body: string): string {
    try {
      return (JSON.parse(body) as { message?: string }).message ?? body.trim();
    } catch {
      return body.trim();
    }
  }

  /** GET /images/{name}/json: the image's id, or undefined when the engine does not have it. */
  async inspect(name: string): Promise<{ id: string; repoTags: string[] } | undefined> {
    const r = await this.text('GET', `${await this.apiPrefix()}/images/${encodeURIComponent(name)}/json`);
    if (r.status === 404) return undefined;
    if (r.status !== 200) throw new EngineError(`engine error inspecting ${name} (${r.status}): ${EngineClient.message(r.body)}`);
    const j = JSON.parse(r.body) as { Id?: string; RepoTags?: string[] };
    return { id: j.Id ?? '', repoTags: j.RepoTags ?? [] };
  }

  /** POST /images/create: pull, reading the progress stream to its end (errors arrive inside it). */
  async pull(name: string): Promise<void> {
    const [image, tag] = splitTag(name);
    const res = await this.raw('POST', `${await this.apiPrefix()}/images/create?fromImage=${encodeURIComponent(image)}&tag=${encodeURIComponent(tag)}`);
    let body = '';
    for await (const c of res) body += (c as Buffer).toString('utf8');
    if (res.statusCode !== 200) throw new EngineError(`engine could not pull ${name} (${res.statusCode}): ${EngineClient.message(body)}`);
    const failed = body.split('\n').map((l) => l.trim()).filter(Boolean).map((l) => JSON.parse(l) as { error?: string }).find((m) => m.error);
    if (failed) throw new EngineError(`engine could not pull ${name}: ${failed.error}`);
  }

  /** GET /images/{name}/get: the `docker save` archive as a stream, never written anywhere. */
  async save(name: string): Promise<IncomingMessage> {
    const res = await this.raw('GET', `${await this.apiPrefix()}/images/${encodeURIComponent(name)}/get`);
    if (res.statusCode !== 200) {
      let body = '';
      for await (const c of res) body += (c as Buffer).toString('utf8');
      throw new EngineError(`engine error saving ${name} (${res.statusCode}): ${EngineClient.message(body)}`);
    }
    return res;
  }
}

/** `name:tag` → [name, tag], where a registry port is not a tag; no tag means latest. */
export function splitTag(ref: string): [string, string] {
  if (ref.includes('@')) return [ref, ''];
  const slash = ref.lastIndexOf('/');
  const colon = ref.lastIndexOf(':');
  return colon > slash ? [ref.slice(0, colon), ref.slice(colon + 1)] : [ref, 'latest'];
}
