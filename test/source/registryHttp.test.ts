import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { bodyPieces, HttpClient, NetworkError } from '../../src/source/registry/http.js';

const CHUNK = 64 << 10;
const MiB = 1 << 20;

/** A server sending `total` bytes in 64 KiB writes with backpressure (byte i is i & 0xff), cut after `cutAt`. */
async function serve(total: number, cutAt = Infinity) {
  const state = { written: 0 };
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'Content-Length': String(total) });
    const next = () => {
      while (state.written < total) {
        // end, not destroy: what was written still arrives, then the connection closes short of Content-Length
        if (state.written >= cutAt) return void res.socket?.end();
        const c = Buffer.alloc(Math.min(CHUNK, total - state.written));
        for (let i = 0; i < c.length; i++) c[i] = (state.written + i) & 0xff;
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

test('a body in 1 MiB pieces, in order; an idle reader holds the sender back', async () => {
  const total = 64 * MiB + 12345;
  const s = await serve(total);
  const http = new HttpClient({ verify: true });
  try {
    const res = await http.request(s.url, 'GET', {});
    let got = 0;
    const sizes: number[] = [];
    for await (const piece of bodyPieces(res, MiB)) {
      for (let i = 0; i < piece.length; i += 4099) assert.equal(piece[i], (got + i) & 0xff);
      got += piece.length;
      sizes.push(piece.length);
      if (sizes.length === 2) {
        await new Promise((r) => setTimeout(r, 300));
        // two pieces read, two waiting, the rest in socket buffers: far from the 64 MiB the server has to send
        assert.ok(s.state.written < got + 24 * MiB, `server wrote ${s.state.written} while ${got} were read`);
      }
    }
    assert.equal(got, total);
    assert.ok(sizes.slice(0, -1).every((n) => n >= MiB && n < MiB + CHUNK), String(sizes));
  } finally {
    http.close();
    await s.close();
  }
});

test('a connection cut mid-body: the bytes that arrived come first, then a network error', async () => {
  const s = await serve(8 * MiB, 3 * MiB + 5 * CHUNK);
  const http = new HttpClient({ verify: true });
  try {
    const res = await http.request(s.url, 'GET', {});
    let got = 0;
    await assert.rejects(
      (async () => {
        for await (const piece of bodyPieces(res, MiB)) got += piece.length;
      })(),
      (err: unknown) => err instanceof NetworkError,
    );
    assert.equal(got, 3 * MiB + 5 * CHUNK);
  } finally {
    http.close();
    await s.close();
  }
});
