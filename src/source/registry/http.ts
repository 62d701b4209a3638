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
const IDLE_MS = 30_000;

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

/** A whole response body, at most `max` bytes (manifests, configs, error bodies and tokens are small). */
export async function readBody(res: IncomingMessage, max: number, tooBig: () => Error): Promise<Buffer> {
  const parts: Buffer[] = [];
  let len = 0;
  for await (const c of res as AsyncIterable<Buffer>) {
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

/**
 * A response body in pieces of at least `size` bytes (but the last), read by 'data' events. Sockets deliver 16–64
 * KiB at a time; an async iterator over the response costs a few promises per chunk, and every piece costs the layer
 * reader a message to its hashing thread and a parser call, so one copy into 1 MiB pieces is far cheaper. The bytes
 * that arrived before a failure are handed on before it is thrown, so a resume starts where they end. At most two
 * pieces wait here: beyond that the response is paused and the socket's backpressure holds the sender.
 */
export async function* bodyPieces(res: IncomingMessage, size: number): AsyncGenerator<Buffer> {
  let parts: Buffer[] = [];
  let len = 0;
  const ready: Buffer[] = [];
  let ended = false;
  let failure: Error | undefined;
  let wake: (() => void) | undefined;
  const notify = () => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  const cut = () => {
    if (len > 0) ready.push(parts.length === 1 ? parts[0]! : Buffer.concat(parts, len));
    parts = [];
    len = 0;
  };
  const onData = (c: Buffer) => {
    parts.push(c);
    len += c.length;
    if (len < size) return;
    cut();
    if (ready.length >= 2) res.pause();
    notify();
  };
  const onEnd = () => {
    ended = true;
    notify();
  };
  const onError = (err: Error) => {
    failure ??= err;
    notify();
  };
  // a connection that closes before the body is complete ends with 'close' and no 'end'
  const onClose = () => {
    if (!res.complete) failure ??= new NetworkError('the connection closed before the body ended', 'ECONNRESET');
    notify();
  };
  res.on('data', onData);
  res.on('end', onEnd);
  res.on('error', onError);
  res.on('close', onClose);
  try {
    for (;;) {
      if (ready.length > 0) {
        const piece = ready.shift()!;
        if (ready.length < 2 && res.isPaused()) res.resume();
        yield piece;
        continue;
      }
      if (ended || failure) {
        cut();
        if (ready.length > 0) continue;
        if (ended) return;
        throw failure instanceof NetworkError ? failure : new NetworkError(failure!.message, (failure as NodeJS.ErrnoException).code);
      }
      await new Promise<void>((r) => (wake = r));
    }
  } finally {
    res.off('data', onData);
    res.off('end', onEnd);
    res.off('error', onError);
    res.off('close', onClose);
    if (!ended) res.destroy();
  }
}
