/**
 * An HTTP front for a real registry, for what the registry itself will not do on cue: ask for Basic credentials and
 * redirect blob downloads to other storage (as registries in front of S3 or a CDN do), vanish in the middle of a
 * blob, answer 429, or serve a manifest of its own. Everything else is forwarded to the registry unchanged, and
 * every request is recorded.
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { blobDataPath } from './registry.js';

export interface SeenRequest {
  readonly method: string;
  readonly path: string;
  readonly range: string | undefined;
  readonly authorization: string | undefined;
}

export interface Canned {
  readonly status: number;
  readonly headers?: Record<string, string>;
  readonly body?: string | Buffer;
}

export interface ProxyOptions {
  /** host:port of the plain-HTTP registry behind. */
  readonly upstream: () => string;
  readonly basicAuth?: { readonly user: string; readonly password: string };
  /** Base URL blob GETs are redirected to (307), once the client is authorized. */
  readonly redirectBlobsTo?: string;
  /** Drop the Range header, as a registry or cache that does not serve ranges does. */
  readonly ignoreRange?: () => boolean;
  /** Called as blob bytes pass; `cut()` drops the client's connection there. */
  readonly onBlobBytes?: (digest: string, bytes: number, cut: () => void) => void;
  /** A response of the proxy's own instead of the registry's. */
  readonly answer?: (req: IncomingMessage) => Canned | undefined;
}

export interface RegistryProxy {
  readonly host: string;
  readonly seen: SeenRequest[];
  close(): Promise<void>;
}

const BLOB = /^\/v2\/(.+)\/blobs\/(sha256:[0-9a-f]{64})$/;

function forward(req: IncomingMessage, res: ServerResponse, o: ProxyOptions, stripAuth: boolean): void {
  const headers = { ...req.headers, host: o.upstream() };
  if (stripAuth) delete headers.authorization;
  if (o.ignoreRange?.()) delete headers.range;
  const [host, port] = o.upstream().split(':');
  const blob = BLOB.exec(new URL(req.url ?? '/', 'http://x').pathname);
  const up = request({ host, port: Number(port), method: req.method, path: req.url, headers }, (ur) => {
    res.writeHead(ur.statusCode ?? 502, ur.headers);
    let bytes = 0;
    let cutNow = false;
    const cut = () => (cutNow = true);
    ur.on('data', (c: Buffer) => {
      if (cutNow) return;
      bytes += c.length;
      res.write(c);
      if (blob && req.method === 'GET') o.onBlobBytes?.(blob[2]!, bytes, cut);
      if (cutNow) {
        ur.destroy();
        res.socket?.destroy();
      }
    });
    ur.on('end', () => res.end());
    ur.on('error', () => res.socket?.destroy());
  });
  up.on('error', () => res.socket?.destroy());
  req.pipe(up);
}

export async function startRegistryProxy(o: ProxyOptions): Promise<RegistryProxy> {
  const seen: SeenRequest[] = [];
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    seen.push({ method: req.method ?? '', path, range: req.headers.range, authorization: req.headers.authorization });
    const canned = o.answer?.(req);
    if (canned) {
      res.writeHead(canned.status, canned.headers ?? {});
      res.end(canned.body ?? '');
      return;
    }
    if (o.basicAuth) {
      const want = 'Basic ' + Buffer.from(`${o.basicAuth.user}:${o.basicAuth.password}`).toString('base64');
      if (req.headers.authorization !== want) {
        res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="fathom-test-proxy"', 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ errors: [{ code: 'UNAUTHORIZED', message: 'authentication required' }] }));
        return;
      }
    }
    const blob = BLOB.exec(path);
    if (blob && o.redirectBlobsTo && req.method === 'GET') {
      res.writeHead(307, { Location: `${o.redirectBlobsTo}/blobs/${blob[2]}?signature=fathom-test` });
      res.end();
      return;
    }
    forward(req, res, o, o.basicAuth !== undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    host: `127.0.0.1:${(server.address() as { port: number }).port}`,
    seen,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface BlobServer {
  readonly url: string;
  readonly seen: SeenRequest[];
  close(): Promise<void>;
}

/** The "other storage" blobs are redirected to: serves the registry's blob files by digest, Range included. */
export async function startBlobServer(storage: string): Promise<BlobServer> {
  const seen: SeenRequest[] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    seen.push({ method: req.method ?? '', path: url.pathname, range: req.headers.range, authorization: req.headers.authorization });
    const m = /^\/blobs\/(sha256:[0-9a-f]{64})$/.exec(url.pathname);
    const file = m ? blobDataPath(storage, m[1]!) : '';
    if (!m || url.searchParams.get('signature') !== 'fathom-test' || !existsSync(file)) {
      res.writeHead(404);
      res.end();
      return;
    }
    const size = statSync(file).size;
    const r = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    const start = r ? Number(r[1]) : 0;
    res.writeHead(r ? 206 : 200, {
      'Content-Length': String(size - start),
      ...(r ? { 'Content-Range': `bytes ${start}-${size - 1}/${size}` } : {}),
    });
    createReadStream(file, { start }).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    // "localhost", not 127.0.0.1: another host as far as the client can tell, so credentials must not follow
    url: `http://localhost:${(server.address() as { port: number }).port}`,
    seen,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
