import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer as createTcpServer } from 'node:net';
import { BlobWorker } from '../../src/source/registry/blobWorker.js';
import { NetworkError } from '../../src/source/registry/http.js';
import { makeTestCa } from '../helpers/testCa.js';

const CHUNK = 64 << 10;
const MiB = 1 << 20;

const byteAt = (i: number) => (i * 7 + (i >> 16)) & 0xff;
function expected(from: number, to: number): Buffer {
  const b = Buffer.alloc(to - from);
  for (let i = 0; i < b.length; i++) b[i] = byteAt(from + i);
  return b;
}

/** A server sending `total` bytes in 64 KiB writes with backpressure (byte i is byteAt(i)), the first answer cut after `cutAt`. */
/** Download `url` whole through `blobs`, hashed on its thread: the bytes must be `want`, the digest theirs. */
async function assertWholeBlob(blobs: BlobWorker, url: URL, want: Buffer): Promise<void> {
  const hash = blobs.hashId();
  const res = await blobs.request(url, {}, { hash, from: 0 });
  const parts: Buffer[] = [];
  for await (const piece of res) parts.push(piece);
  const whole = Buffer.concat(parts);
  assert.ok(whole.equals(want));
  assert.equal(await blobs.digest(hash), 'sha256:' + createHash('sha256').update(whole).digest('hex'));
}

async function serve(total: number, cutAt = Infinity) {
  const state = { written: 0, requests: 0 };
  const server = createServer((_req, res) => {
    state.written = 0;
    const cut = state.requests++ === 0 ? cutAt : Infinity;
    res.writeHead(200, { 'Content-Length': String(total) });
    const next = () => {
      while (state.written < total) {
        // end, not destroy: what was written still arrives, then the connection closes short of Content-Length
        if (state.written >= cut) return void res.socket?.end();
        const c = expected(state.written, Math.min(state.written + CHUNK, total));
        state.written += c.length;
        if (!res.write(c)) return void res.once('drain', next);
      }
      res.end();
    };
    next();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = new URL(`http://127.0.0.1:${(server.address() as { port: number }).port}/`);
  return { state, url, close: () => new Promise<void>((r) => server.close(() => r())) };
}

test('a body from the download thread in 1 MiB pieces, in order, hashed there; an idle reader holds the sender back', async () => {
  const total = 64 * MiB + 12345;
  const s = await serve(total);
  const blobs = new BlobWorker({ verify: true });
  try {
    const hash = blobs.hashId();
    const res = await blobs.request(s.url, {}, { hash, from: 0 });
    assert.equal(res.statusCode, 200);
    let got = 0;
    const sizes: number[] = [];
    const sha = createHash('sha256');
    for await (const piece of res) {
      for (let i = 0; i < piece.length; i += 4099) assert.equal(piece[i], byteAt(got + i));
      sha.update(piece);
      got += piece.length;
      sizes.push(piece.length);
      if (sizes.length === 2) {
        await new Promise((r) => setTimeout(r, 300));
        // two pieces read, four sent ahead, the rest in socket buffers: far from the 64 MiB the server has to send
        assert.ok(s.state.written < got + 24 * MiB, `server wrote ${s.state.written} while ${got} were read`);
      }
    }
    assert.equal(got, total);
    assert.ok(sizes.slice(0, -1).every((n) => n === MiB), String(sizes));
    const digest = 'sha256:' + sha.digest('hex');
    assert.equal(digest, 'sha256:' + createHash('sha256').update(expected(0, total)).digest('hex'));
    assert.equal(await blobs.digest(hash), digest);
  } finally {
    blobs.close();
    await s.close();
  }
});

test('a connection cut mid-body: the bytes that arrived come first, then a network error; a full answer to the resume skips them', async () => {
  const total = 8 * MiB;
  const cut = 3 * MiB + 5 * CHUNK;
  const s = await serve(total, cut);
  const blobs = new BlobWorker({ verify: true });
  try {
    const hash = blobs.hashId();
    const res = await blobs.request(s.url, {}, { hash, from: 0 });
    const parts: Buffer[] = [];
    await assert.rejects(
      (async () => {
        for await (const piece of res) parts.push(piece);
      })(),
      (err: unknown) => err instanceof NetworkError,
    );
    assert.equal(Buffer.concat(parts).length, cut);
    // this server ignores Range: the whole body again, of which the thread hands on and hashes only the rest
    const again = await blobs.request(s.url, { Range: `bytes=${cut}-` }, { hash, from: cut });
    assert.equal(again.statusCode, 200);
    for await (const piece of again) parts.push(piece);
    const whole = Buffer.concat(parts);
    assert.ok(whole.equals(expected(0, total)));
    assert.equal(await blobs.digest(hash), 'sha256:' + createHash('sha256').update(whole).digest('hex'));
  } finally {
    blobs.close();
    await s.close();
  }
});

test('a chunked answer comes whole, in order, hashed the same', async () => {
  const total = 3 * MiB + 777;
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'Transfer-Encoding': 'chunked' });
    // chunk sizes from 1 byte to more than a read, so sizes, data and line ends fall across reads
    const sizes = [1, 2, 100, 4099, CHUNK, 70001, 300_000];
    for (let at = 0, k = 0; at < total; k++) {
      const end = Math.min(at + sizes[k % sizes.length]!, total);
      res.write(expected(at, end));
      at = end;
    }
    res.end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const blobs = new BlobWorker({ verify: true });
  try {
    await assertWholeBlob(blobs, new URL(`http://127.0.0.1:${(server.address() as { port: number }).port}/`), expected(0, total));
  } finally {
    blobs.close();
    await new Promise<void>((r) => server.close(() => r()));
  }
});

test('an answer without Content-Length ends with the connection', async () => {
  const total = 2 * MiB + 3;
  const server = createTcpServer((sock) => {
    sock.once('data', () => {
      sock.write('HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\n\r\n');
      sock.end(expected(0, total));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const blobs = new BlobWorker({ verify: true });
  try {
    const res = await blobs.request(new URL(`http://127.0.0.1:${(server.address() as { port: number }).port}/`), {}, { from: 0 });
    assert.equal(res.headers['content-type'], 'application/octet-stream');
    const parts: Buffer[] = [];
    for await (const piece of res) parts.push(piece);
    assert.ok(Buffer.concat(parts).equals(expected(0, total)));
  } finally {
    blobs.close();
    await new Promise<void>((r) => server.close(() => r()));
  }
});

test('a malformed answer is a network error of its own, not one a TLS handshake would give', async () => {
  const server = createTcpServer((sock) => {
    sock.once('data', () => sock.end('HTTP/1.1 200 OK\r\nContent-Length: 12abc\r\n\r\nhello'));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const blobs = new BlobWorker({ verify: true });
  try {
    const url = new URL(`http://127.0.0.1:${(server.address() as { port: number }).port}/`);
    await assert.rejects(blobs.request(url, {}, { from: 0 }), (err: unknown) => err instanceof NetworkError && err.code === 'ERR_MALFORMED_ANSWER' && /Content-Length/.test(err.message));
  } finally {
    blobs.close();
    await new Promise<void>((r) => server.close(() => r()));
  }
});

test('a header value with a line break is refused before anything is sent', async () => {
  let requests = 0;
  const server = createTcpServer((sock) => {
    requests++;
    sock.destroy();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const blobs = new BlobWorker({ verify: true });
  try {
    const url = new URL(`http://127.0.0.1:${(server.address() as { port: number }).port}/`);
    await assert.rejects(blobs.request(url, { Authorization: 'Bearer abc\r\nX-Injected: 1' }, { from: 0 }), (err: unknown) => err instanceof NetworkError && err.code === 'ERR_INVALID_CHAR');
    assert.equal(requests, 0);
  } finally {
    blobs.close();
    await new Promise<void>((r) => server.close(() => r()));
  }
});

test('HTTPS: the certificate checked against the trusted CAs and the host name; the body whole, hashed', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fathom-blob-tls-'));
  const total = 5 * MiB + 11;
  try {
    const ca = makeTestCa(dir);
    const serve = () =>
      createTlsServer({ cert: readFileSync(ca.serverCert), key: readFileSync(ca.serverKey) }, (_req, res) => {
        res.writeHead(200, { 'Content-Length': String(total) });
        res.end(expected(0, total));
      });
    const server = serve();
    // 127.0.0.2 is loopback too, and a name the certificate (127.0.0.1, localhost) does not cover
    const other = serve();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    await new Promise<void>((r) => other.listen(port, '127.0.0.2', r));
    const trusting = new BlobWorker({ verify: true, extraCa: [readFileSync(ca.caCert, 'utf8')] });
    const plain = new BlobWorker({ verify: true });
    const lax = new BlobWorker({ verify: false });
    try {
      const cert = (err: unknown) => err instanceof NetworkError && /^(UNABLE_TO_|SELF_SIGNED_|DEPTH_ZERO_|CERT_|ERR_TLS_CERT)/.test(err.code ?? '');
      await assert.rejects(plain.request(new URL(`https://localhost:${port}/`), {}, { from: 0 }), cert);
      await assert.rejects(trusting.request(new URL(`https://127.0.0.2:${port}/`), {}, { from: 0 }), (err: unknown) => err instanceof NetworkError && err.code === 'ERR_TLS_CERT_ALTNAME_INVALID');
      for (const [blobs, host] of [[trusting, 'localhost'], [trusting, '127.0.0.1'], [lax, '127.0.0.2']] as const) {
        await assertWholeBlob(blobs, new URL(`https://${host}:${port}/`), expected(0, total));
      }
    } finally {
      for (const b of [trusting, plain, lax]) b.close();
      for (const srv of [server, other]) {
        srv.closeAllConnections();
        await new Promise<void>((r) => srv.close(() => r()));
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a refused connection is a network error with its code', async () => {
  const s = await serve(1);
  await s.close();
  const blobs = new BlobWorker({ verify: true });
  try {
    await assert.rejects(blobs.request(s.url, {}, { from: 0 }), (err: unknown) => err instanceof NetworkError && err.code === 'ECONNREFUSED');
  } finally {
    blobs.close();
  }
});
