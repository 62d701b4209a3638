import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { InputError } from '../../errors.js';
import { parseChallenges, type Challenge } from './challenge.js';
import { authFiles, findCredentials, type CredentialOptions, type Credentials } from './credentials.js';
import { BlobWorker } from './blobWorker.js';
import { header, HttpClient, NetworkError, readBody, type Answer } from './http.js';
import { isLoopback, type RegistryReference } from './reference.js';

/** Anything the registry conversation went wrong with: one line naming the image and what to do. */
export class RegistryError extends InputError {}

export interface RegistryClientOptions {
  readonly credentials: CredentialOptions;
  /** Plain HTTP allowed and certificates not verified (loopback registries get plain HTTP without it). */
  readonly insecure: boolean;
  /** PEM certificates trusted besides the system's. */
  readonly extraCa?: readonly string[];
  /** Announce a retry (stderr in the CLI). */
  readonly note?: (line: string) => void;
}

export const MANIFEST_MEDIA_TYPES = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.docker.distribution.manifest.v2+json',
];

export interface FetchedManifest {
  readonly mediaType: string;
  readonly digest: string;
  readonly json: unknown;
}

/** Registries cap manifests at 4 MiB (distribution's default); anything bigger is not a manifest. */
const MAX_MANIFEST = 4 << 20;
/** Tries of one request before a network failure is reported (5 retries over ~6 s). */
const ATTEMPTS = 6;
/** A Retry-After this short is waited out; a longer one is reported. */
const MAX_RETRY_AFTER_S = 10;
const backoff = (n: number) => 200 * 2 ** n;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const RETRYABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH', 'ECONNABORTED']);
const CERT_CODES = /^(UNABLE_TO_|SELF_SIGNED_|DEPTH_ZERO_|CERT_|ERR_TLS_CERT)/;

/** The TLS handshake met a plain HTTP server (its "400 Bad Request" read as a TLS record). */
function speaksPlainHttp(err: NetworkError): boolean {
  return err.code === 'EPROTO' || /^ERR_SSL_/.test(err.code ?? '') || /wrong version number|packet length too long|before secure TLS connection/i.test(err.message);
}

function registryMessage(body: Buffer): string {
  try {
    const j = JSON.parse(body.toString('utf8')) as { errors?: Array<{ code?: string; message?: string }>; details?: string; error?: string };
    const e = j.errors?.[0];
    if (e) return [e.code, e.message].filter(Boolean).join(': ');
    return j.details ?? j.error ?? '';
  } catch {
    return body.toString('utf8').trim().slice(0, 200);
  }
}

const sha256 = (b: Buffer) => 'sha256:' + createHash('sha256').update(b).digest('hex');

/**
 * The OCI distribution API for reading one repository: the /v2/ ping decides HTTPS or (loopback, --insecure) plain
 * HTTP and learns the auth scheme; Bearer tokens and Basic auth as the registry's challenge asks; redirects followed
 * without Authorization to other hosts; transient failures retried; blobs resumed by Range.
 */
export class RegistryClient {
  private readonly http: HttpClient;
  private readonly blobs: BlobWorker;
  private origin: Promise<URL> | undefined;
  private challenge: Challenge[] = [];
  private authorization: string | undefined;
  private creds: Promise<Credentials | undefined> | undefined;

  constructor(
    readonly ref: RegistryReference,
    private readonly o: RegistryClientOptions,
  ) {
    const tls = { verify: !o.insecure, ...(o.extraCa ? { extraCa: o.extraCa } : {}) };
    this.http = new HttpClient(tls);
    this.blobs = new BlobWorker(tls);
  }

  close(): void {
    this.http.close();
    this.blobs.close();
  }

  private credentials(): Promise<Credentials | undefined> {
    this.creds ??= findCredentials(this.ref.registry, this.ref.repository, this.o.credentials);
    return this.creds;
  }

  private base(what: string): Promise<URL> {
    this.origin ??= this.ping(what);
    return this.origin;
  }

  private async ping(what: string): Promise<URL> {
    const plainAllowed = this.o.insecure || isLoopback(this.ref.registry);
    let base = new URL(`https://${this.ref.endpoint}/`);
    let res: IncomingMessage;
    try {
      res = await this.withRetries(() => this.http.request(new URL('/v2/', base), 'GET', {}), what);
    } catch (err) {
      if (!(err instanceof PlainHttpAnswer) || !plainAllowed) throw err;
      base = new URL(`http://${this.ref.endpoint}/`);
      res = await this.withRetries(() => this.http.request(new URL('/v2/', base), 'GET', {}), what);
    }
    res.resume();
    if (res.statusCode === 401) this.challenge = parseChallenges(res.headers['www-authenticate']);
    return base;
  }

  /** A failed request → retried while the failure is transient, then one error a user can act on. */
  private async withRetries<T>(fn: () => Promise<T>, what: string): Promise<T> {
    for (let n = 1; ; n++) {
      try {
        return await fn();
      } catch (err) {
        if (!(err instanceof NetworkError)) throw err;
        if (speaksPlainHttp(err) || !RETRYABLE.has(err.code ?? '') || n >= ATTEMPTS) throw this.networkError(err, what, n);
        await sleep(backoff(n - 1));
      }
    }
  }

  private networkError(err: NetworkError, what: string, tries: number): Error {
    const at = this.ref.endpoint;
    const times = tries > 1 ? ` (tried ${tries} times)` : '';
    if (speaksPlainHttp(err)) {
      return new PlainHttpAnswer(`${what}: ${at} does not answer HTTPS (a plain HTTP registry?); allow plain HTTP with --insecure`);
    }
    if (CERT_CODES.test(err.code ?? '')) {
      return new RegistryError(
        `${what}: the TLS certificate of ${at} is not trusted (${err.message}); pass its CA with --ca-file or SSL_CERT_FILE, or skip verification with --insecure`,
      );
    }
    switch (err.code) {
      case 'ECONNREFUSED':
        return new RegistryError(`${what}: cannot connect to ${at}: connection refused${times}; is the registry running at that address?`);
      case 'ENOTFOUND':
        return new RegistryError(`${what}: registry host ${at.replace(/:\d+$/, '')} not found (DNS)`);
      case 'ETIMEDOUT':
        return new RegistryError(`${what}: ${at} stopped answering (${err.message})${times}`);
      default:
        return new RegistryError(`${what}: network error talking to ${at}: ${err.message}${times}`);
    }
  }

  private noCredentials(what: string, detail: string): RegistryError {
    const where = [...(this.o.credentials.explicit ? [] : ['--username']), ...authFiles(this.o.credentials)].join(', ');
    return new RegistryError(
      `${what}: unauthorized: ${this.ref.registry} wants credentials for ${this.ref.repository}${detail ? ` (${detail})` : ''} and none were found ` +
        `(looked in ${where}); log in with docker login or podman login, or pass --username with --password-stdin`,
    );
  }

  private async unauthorized(what: string, detail: string): Promise<RegistryError> {
    const creds = await this.credentials();
    if (!creds) return this.noCredentials(what, detail);
    return new RegistryError(
      `${what}: unauthorized: ${this.ref.registry} rejected the credentials from ${creds.from}${detail ? ` (${detail})` : ''}` +
        ` — wrong password or token, or no pull access to ${this.ref.repository}`,
    );
  }

  private async authenticate(challenges: Challenge[], what: string): Promise<void> {
    const bearer = challenges.find((c) => c.scheme === 'bearer');
    const basic = challenges.find((c) => c.scheme === 'basic');
    const creds = await this.credentials();
    if (bearer) {
      this.authorization = `Bearer ${await this.token(bearer, creds, what)}`;
    } else if (basic) {
      if (creds?.username === undefined || creds.password === undefined) throw this.noCredentials(what, '');
      this.authorization = `Basic ${Buffer.from(`${creds.username}:${creds.password}`).toString('base64')}`;
    } else {
      const schemes = challenges.map((c) => c.scheme).join(', ') || 'none named';
      throw new RegistryError(`${what}: ${this.ref.registry} asks for an authentication scheme fathom does not speak (${schemes})`);
    }
  }

  /** The token flow: GET the realm (Basic credentials when there are any), or trade an identity token by POST. */
  private async token(ch: Challenge, creds: Credentials | undefined, what: string): Promise<string> {
    if (creds?.registryToken) return creds.registryToken;
    const realm = ch.params['realm'];
    let url: URL;
    try {
      url = new URL(realm ?? '');
    } catch {
      throw new RegistryError(`${what}: ${this.ref.registry} sent a Bearer challenge without a usable realm (${realm ?? 'none'})`);
    }
    const service = ch.params['service'];
    const scope = ch.params['scope'] ?? `repository:${this.ref.repository}:pull`;
    let res: IncomingMessage;
    if (creds?.identityToken) {
      const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: creds.identityToken, client_id: 'fathom', scope, ...(service ? { service } : {}) });
      res = await this.withRetries(() => this.http.request(url, 'POST', { 'Content-Type': 'application/x-www-form-urlencoded' }, form.toString()), what);
    } else {
      if (service) url.searchParams.set('service', service);
      url.searchParams.set('scope', scope);
      const auth: Record<string, string> =
        creds?.username !== undefined ? { Authorization: `Basic ${Buffer.from(`${creds.username}:${creds.password ?? ''}`).toString('base64')}` } : {};
      res = await this.withRetries(() => this.http.request(url, 'GET', auth), what);
    }
    const body = await readBody(res, 1 << 20, () => new RegistryError(`${what}: the token endpoint ${url.host} sent more than 1 MiB`));
    if (res.statusCode === 401 || res.statusCode === 403) throw await this.unauthorized(what, `token endpoint ${url.host}: ${registryMessage(body) || res.statusCode}`);
    if (res.statusCode !== 200) throw new RegistryError(`${what}: the token endpoint ${url.origin}${url.pathname} answered ${res.statusCode}: ${registryMessage(body)}`);
    let j: { token?: unknown; access_token?: unknown };
    try {
      j = JSON.parse(body.toString('utf8')) as typeof j;
    } catch {
      throw new RegistryError(`${what}: the token endpoint ${url.host} did not answer JSON`);
    }
    const token = typeof j.token === 'string' && j.token ? j.token : typeof j.access_token === 'string' ? j.access_token : '';
    if (!token) throw new RegistryError(`${what}: the token endpoint ${url.host} answered without a token`);
    return token;
  }

  /**
   * One GET of the API. Answers with 2xx and 404 are returned (404 means something different per call); 401 leads
   * to one (re)authentication; redirects are followed, Authorization only to the registry's own origin; 429 and 5xx
   * are retried when short, reported otherwise.
   */
  get(path: string, headers: Record<string, string>, what: string): Promise<IncomingMessage> {
    return this.getVia((url, h) => this.http.request(url, 'GET', h), path, headers, what);
  }

  /** `get`, each request sent by `send` (this thread's connections, or the download thread's). */
  private async getVia<R extends Answer>(
    send: (url: URL, headers: Record<string, string>) => Promise<R>,
    path: string,
    headers: Record<string, string>,
    what: string,
  ): Promise<R> {
    const base = await this.base(what);
    if (!this.authorization && this.challenge.length > 0) await this.authenticate(this.challenge, what);
    let url = new URL(path, base);
    let reauthenticated = false;
    let redirects = 0;
    let waits = 0;
    for (;;) {
      const own = url.origin === base.origin;
      const h = { ...headers, ...(own && this.authorization ? { Authorization: this.authorization } : {}) };
      const target = url;
      const res = await this.withRetries(() => send(target, h), what);
      const s = res.statusCode ?? 0;
      if ((s >= 200 && s < 300) || s === 404) return res;
      const location = header(res.headers, 'location');
      if ([301, 302, 303, 307, 308].includes(s) && location) {
        res.resume();
        if (++redirects > 5) throw new RegistryError(`${what}: more than 5 redirects (last to ${new URL(location, url).host})`);
        url = new URL(location, url);
        continue;
      }
      if (s === 401 && own && !reauthenticated) {
        const challenges = parseChallenges(res.headers['www-authenticate']);
        res.resume();
        reauthenticated = true;
        await this.authenticate(challenges, what);
        continue;
      }
      const body = await readBody(res, 1 << 20, () => new RegistryError(`${what}: an error response of more than 1 MiB`)).catch(() => Buffer.alloc(0));
      const msg = registryMessage(body);
      if (s === 401 || s === 403) throw await this.unauthorized(what, msg);
      const retryAfter = Number(header(res.headers, 'retry-after'));
      if (s === 429 || s === 503) {
        if (Number.isFinite(retryAfter) && retryAfter <= MAX_RETRY_AFTER_S && waits++ < 3) {
          this.o.note?.(`${what}: ${this.ref.registry} asks to wait ${retryAfter} s (${s}); waiting`);
          await sleep(retryAfter * 1000);
          continue;
        }
        if (s === 429) {
          const when = Number.isFinite(retryAfter) ? `; it says to retry after ${retryAfter} s` : '';
          throw new RegistryError(`${what}: rate-limited by ${this.ref.registry} (429 Too Many Requests${msg ? `: ${msg}` : ''})${when}; log in for a higher limit, or try later`);
        }
      }
      if (s >= 500 && waits++ < 3) {
        await sleep(backoff(waits));
        continue;
      }
      throw new RegistryError(`${what}: ${url.host} answered ${s}${msg ? `: ${msg}` : ''}`);
    }
  }

  /** GET a manifest with every schema 2 / OCI type accepted; its digest checked when it was asked for by digest. */
  async manifest(reference: string, what: string): Promise<FetchedManifest> {
    const res = await this.get(`/v2/${this.ref.repository}/manifests/${reference}`, { Accept: MANIFEST_MEDIA_TYPES.join(', ') }, what);
    const tooBig = () => new RegistryError(`${what}: the manifest is larger than 4 MiB`);
    if (res.statusCode === 404) {
      const body = await readBody(res, MAX_MANIFEST, tooBig);
      throw await this.notFound(reference, registryMessage(body), what);
    }
    const body = await readBody(res, MAX_MANIFEST, tooBig);
    const digest = sha256(body);
    if (reference.startsWith('sha256:') && reference !== digest) {
      throw new RegistryError(`${what}: manifest ${reference} arrived with content hashing to ${digest}`);
    }
    const claimed = header(res.headers, 'docker-content-digest');
    if (claimed?.startsWith('sha256:') && claimed !== digest) {
      throw new RegistryError(`${what}: the registry says the manifest is ${claimed} but its content hashes to ${digest}`);
    }
    let json: unknown;
    try {
      json = JSON.parse(body.toString('utf8'));
    } catch (err) {
      throw new RegistryError(`${what}: the manifest is not JSON (${(err as Error).message})`);
    }
    const fromBody = typeof json === 'object' && json !== null ? (json as { mediaType?: unknown; schemaVersion?: unknown }) : {};
    const contentType = (header(res.headers, 'content-type') ?? '').split(';')[0]!.trim();
    const mediaType = typeof fromBody.mediaType === 'string' ? fromBody.mediaType : contentType;
    if (fromBody.schemaVersion === 1 || /distribution\.manifest\.v1\+/.test(mediaType) || /distribution\.manifest\.v1\+/.test(contentType)) {
      throw new RegistryError(
        `${what}: a Docker schema 1 manifest, deprecated since 2017 and not supported; push the image again with a current docker, podman, buildah or skopeo`,
      );
    }
    return { mediaType, digest, json };
  }

  /** 404 of a manifest: the repository or the tag? distribution says MANIFEST_UNKNOWN for both; tags/list tells. */
  private async notFound(reference: string, msg: string, what: string): Promise<RegistryError> {
    const repo = this.ref.repository;
    if (reference.startsWith('sha256:')) return new RegistryError(`${what}: manifest ${reference} not found in repository ${repo} on ${this.ref.registry}`);
    try {
      const res = await this.get(`/v2/${repo}/tags/list?n=1000`, {}, what);
      const body = await readBody(res, 4 << 20, () => new RegistryError('tags list too big'));
      if (res.statusCode === 404) return new RegistryError(`${what}: repository ${repo} not found on ${this.ref.registry}`);
      const tags = (JSON.parse(body.toString('utf8')) as { tags?: unknown }).tags;
      const list = Array.isArray(tags) ? tags.filter((t): t is string => typeof t === 'string') : [];
      const shown = list.length > 10 ? `${list.slice(0, 10).join(', ')}, … (${list.length} tags)` : list.join(', ');
      return new RegistryError(`${what}: tag ${reference} not found in repository ${repo} on ${this.ref.registry}${list.length ? `; its tags: ${shown}` : ' (it has no tags)'}`);
    } catch {
      return new RegistryError(`${what}: tag ${reference} not found in repository ${repo} on ${this.ref.registry}${msg ? ` (${msg})` : ''}`);
    }
  }

  /**
   * A blob's bytes as they arrive, in 1 MiB pieces from the download thread. A transfer that breaks off is resumed
   * from the byte it stopped at (Range; a registry that ignores Range sends it all again and the bytes already
   * delivered are skipped), until it fails ATTEMPTS times in a row without progress.
   */
  blob(digest: string, size: number, what: string): AsyncGenerator<Buffer> {
    return this.blobPieces(digest, size, what, undefined);
  }

  /** A layer blob: its pieces, and its sha256 taken by the download thread (ask once the pieces are read). */
  layer(digest: string, size: number, what: string): { pieces: AsyncGenerator<Buffer>; digest: () => Promise<string> } {
    const hash = this.blobs.hashId();
    return { pieces: this.blobPieces(digest, size, what, hash), digest: () => this.blobs.digest(hash) };
  }

  private async *blobPieces(digest: string, size: number, what: string, hash: number | undefined): AsyncGenerator<Buffer> {
    const path = `/v2/${this.ref.repository}/blobs/${digest}`;
    let got = 0;
    let failures = 0;
    for (;;) {
      const from = got;
      const send = (url: URL, h: Record<string, string>) => this.blobs.request(url, h, { from, ...(hash ? { hash } : {}) });
      const res =
        got > 0
          ? await this.getVia(send, path, { Range: `bytes=${got}-` }, `${what}: resuming at byte ${got} of ${size}`)
          : await this.getVia(send, path, {}, what);
      if (res.statusCode === 404) {
        res.resume();
        throw new RegistryError(`${what}: ${this.ref.registry} has no blob ${digest} in ${this.ref.repository} (the manifest names a blob that is not there)`);
      }
      const start = /^bytes (\d+)-/.exec(header(res.headers, 'content-range') ?? '');
      if (got > 0 && res.statusCode === 206 && (!start || Number(start[1]) !== got)) {
        res.destroy();
        throw new RegistryError(`${what}: asked to resume at byte ${got}, the registry sent ${header(res.headers, 'content-range') ?? 'no Content-Range'}`);
      }
      let reason = 'the connection closed early';
      try {
        for await (const piece of res) {
          got += piece.length;
          failures = 0;
          yield piece;
        }
        if (size < 0 || got >= size) return;
      } catch (err) {
        if (!(err instanceof NetworkError)) throw err;
        reason = err.message;
      }
      if (++failures >= ATTEMPTS) {
        throw new RegistryError(`${what}: the transfer from ${this.ref.endpoint} broke off ${failures} times in a row (${reason}); ${got} of ${size} bytes arrived`);
      }
      this.o.note?.(`${what}: transfer interrupted at byte ${got} of ${size} (${reason}); resuming`);
      await sleep(backoff(failures - 1));
    }
  }

  /**
   * A blob's bytes as they arrive, hashed on the download thread as a layer's are: the iteration ends by throwing
   * when they do not hash to `digest`, so a consumer acts on the bytes only once the loop is over.
   */
  async *verifiedBlob(digest: string, size: number, what: string): AsyncGenerator<Buffer> {
    const blob = this.layer(digest, size, what);
    yield* blob.pieces;
    const got = await blob.digest();
    if (got !== digest) throw new RegistryError(`${what} is corrupt: its bytes hash to ${got}; the registry's copy is damaged or it was altered in transit`);
  }

  /** A small blob (the config) whole, its digest checked. */
  async blobBytes(digest: string, size: number, max: number, what: string): Promise<Buffer> {
    if (size > max) throw new RegistryError(`${what}: ${size} bytes, more than the ${max} an image config may have`);
    const parts: Buffer[] = [];
    let len = 0;
    for await (const c of this.blob(digest, size, what)) {
      len += c.length;
      if (len > max) throw new RegistryError(`${what}: more than ${max} bytes`);
      parts.push(c);
    }
    const body = Buffer.concat(parts);
    const got = sha256(body);
    if (got !== digest) throw new RegistryError(`${what}: its content hashes to ${got}, the manifest says ${digest}`);
    return body;
  }
}

/** HTTPS met a plain HTTP server: on loopback or with --insecure the ping falls back to HTTP. */
class PlainHttpAnswer extends RegistryError {}
