import { Agent as HttpAgent, request as httpRequest, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { rootCertificates } from 'node:tls';

export interface TlsSettings {
  /** Certificates to trust besides the system's (--ca-file, SSL_CERT_FILE). */
  readonly extraCa?: readonly string[];
  /** --insecure: accept any certificate (and plain HTTP, decided by the caller). */
  readonly verify: boolean;
}

/** A network-level failure (no HTTP answer): worth a retry, unlike any answer the registry gave. */
export class NetworkError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
  }
}

/** No data for this long on a connection: a stalled transfer, retried like a dropped one. */
export const IDLE_MS = 30_000;

/**
 * node:http with keep-alive agents, nothing more: registries speak HTTP/1.1 everywhere, and a blob response must
 * stream into the layer reader with backpressure, which an IncomingMessage does by itself.
 */
export class HttpClient {
  private readonly http = new HttpAgent({ keepAlive: true });
  private readonly https: HttpsAgent;

  constructor(tls: TlsSettings) {
    this.https = new HttpsAgent({
      keepAlive: true,
      rejectUnauthorized: tls.verify,
      // the system's roots stay trusted: `ca` replaces them unless they are passed along
      ...(tls.extraCa && tls.extraCa.length > 0 ? { ca: [...rootCertificates, ...tls.extraCa] } : {}),
    });
  }

  request(url: URL, method: string, headers: Record<string, string>, body?: string): Promise<IncomingMessage> {
    const tls = url.protocol === 'https:';
    return new Promise((resolve, reject) => {
      const req = (tls ? httpsRequest : httpRequest)(
        url,
        { method, headers: { 'User-Agent': 'fathom', ...headers }, agent: tls ? this.https : this.http },
        resolve,
      );
      req.setTimeout(IDLE_MS, () => req.destroy(Object.assign(new Error(`no data for ${IDLE_MS / 1000} s`), { code: 'ETIMEDOUT' })));
      req.on('error', (err: NodeJS.ErrnoException) => reject(new NetworkError(err.message, err.code)));
      req.end(body);
    });
  }

  close(): void {
    this.http.destroy();
    this.https.destroy();
  }
}

/** An HTTP answer as the client's request logic reads it: node's own, or one from the download thread. */
export interface Answer extends AsyncIterable<Buffer> {
  readonly statusCode?: number | undefined;
  readonly headers: IncomingHttpHeaders;
  /** The body is not wanted: drain it. */
  resume(): unknown;
  destroy(): unknown;
}

/** A whole response body, at most `max` bytes (manifests, configs, error bodies and tokens are small). */
export async function readBody(res: Answer, max: number, tooBig: () => Error): Promise<Buffer> {
  const parts: Buffer[] = [];
  let len = 0;
  for await (const c of res) {
    len += c.length;
    if (len > max) {
      res.destroy();
      throw tooBig();
    }
    parts.push(c);
  }
  return Buffer.concat(parts);
}

export function header(h: IncomingHttpHeaders, name: string): string | undefined {
  const v = h[name];
  return Array.isArray(v) ? v[0] : v;
}
