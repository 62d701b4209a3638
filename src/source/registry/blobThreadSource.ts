/**
 * Blob downloads on a thread of their own. Receiving a blob (socket reads, the HTTP parser, one copy into pieces) and
 * its sha256 cost the main thread more than the parse it feeds (bench archive from a registry: 2.3 s of main-thread
 * CPU against 0.93 s from the file); here they run beside it, and the main thread gets 1 MiB pieces whose memory is
 * handed over, not copied (0.95 s). The request logic (auth, redirects, retries, resume) stays with the main
 * thread's client: this thread sends each GET as it is told (one per download, a few at once) and reports the answer.
 * This is the thread's own code: CommonJS source evaluated by the Worker (blobWorker.ts starts it and is its
 * handle), so a bundled fathom needs no file beside it.
 */
export const BLOB_THREAD_SOURCE = String.raw`
const { parentPort, workerData } = require('node:worker_threads');
const http = require('node:http');
const net = require('node:net');
const https = require('node:https');
const tls = require('node:tls');
const { rootCertificates } = tls;
const { createHash } = require('node:crypto');
const { verify, extraCa, piece: PIECE, window: WINDOW, idleMs } = workerData;
const READ_BYTES = 1 << 20;
// the system's roots stay trusted: 'ca' replaces them unless they are passed along
const trust = { rejectUnauthorized: verify, ...(extraCa.length > 0 ? { ca: [...rootCertificates, ...extraCa] } : {}) };
const agents = {
  'http:': new http.Agent({ keepAlive: true }),
  'https:': new https.Agent({ keepAlive: true, ...trust }),
};
const hashes = new Map();
const reqs = new Map();
function get(m) {
  const url = new URL(m.url);
  const r = { unacked: 0, discard: false, done: false, pause: undefined, resume: undefined, drop: undefined, abort: undefined };
  reqs.set(m.id, r);
  let piece = Buffer.allocUnsafeSlow(PIECE);
  let len = 0;
  let skip = 0;
  let hash;
  const flush = () => {
    if (len === 0 || r.discard) return;
    const ab = piece.buffer;
    parentPort.postMessage({ type: 'data', id: m.id, data: ab, len }, [ab]);
    piece = Buffer.allocUnsafeSlow(PIECE);
    len = 0;
    if (++r.unacked >= WINDOW) r.pause();
  };
  const on = {
    head(status, headers) {
      const ok = status >= 200 && status < 300;
      // a registry that ignores Range sends the whole blob again: what was delivered before is skipped here
      skip = ok && status !== 206 ? m.from : 0;
      if (ok && m.hash) {
        hash = hashes.get(m.hash);
        if (!hash) hashes.set(m.hash, (hash = createHash('sha256')));
      }
      parentPort.postMessage({ type: 'head', id: m.id, status, headers });
    },
    data(c) {
      if (r.discard) return;
      if (skip > 0) {
        if (c.length <= skip) return void (skip -= c.length);
        c = c.subarray(skip);
        skip = 0;
      }
      if (hash) hash.update(c);
      for (let off = 0; off < c.length; ) {
        const n = Math.min(PIECE - len, c.length - off);
        c.copy(piece, len, off, off + n);
        len += n;
        off += n;
        if (len === PIECE) flush();
      }
    },
    end() {
      if (r.done) return;
      r.done = true;
      reqs.delete(m.id);
      flush();
      parentPort.postMessage({ type: 'end', id: m.id });
    },
    fail(err) {
      if (r.done) return;
      r.done = true;
      reqs.delete(m.id);
      flush();
      parentPort.postMessage({ type: 'error', id: m.id, message: String((err && err.message) || err), code: err && err.code });
    },
  };
  direct(url, m.headers, r, on, () => viaNode(url, m.headers, r, on));
}
const closedEarly = () => Object.assign(new Error('the connection closed before the body ended'), { code: 'ECONNRESET' });
const idle = () => Object.assign(new Error('no data for ' + idleMs / 1000 + ' s'), { code: 'ETIMEDOUT' });
function viaNode(url, headers, r, on) {
  const lib = url.protocol === 'https:' ? https : http;
  let req;
  try {
    req = lib.request(url, { method: 'GET', headers, agent: agents[url.protocol] }, onAnswer);
  } catch (err) {
    // an invalid header value throws here; one failed request, not the thread
    return on.fail(err);
  }
  function onAnswer(res) {
    r.pause = () => res.pause();
    r.resume = () => res.isPaused() && res.resume();
    r.drop = () => res.resume();
    on.head(res.statusCode, res.headers);
    res.on('data', on.data);
    res.on('end', on.end);
    res.on('error', on.fail);
    // a connection that closes before the body is complete ends with 'close' and no 'end'
    res.on('close', () => res.complete || on.fail(closedEarly()));
  }
  r.abort = () => req.destroy();
  req.setTimeout(idleMs, () => req.destroy(idle()));
  req.on('error', on.fail);
  req.end();
}
// not EPROTO: the client reads that as a TLS handshake that met plain HTTP
const badAnswer = (what) => Object.assign(new Error('a malformed answer (' + what + ')'), { code: 'ERR_MALFORMED_ANSWER' });
/** A chunked body's bytes → its data (RFC 9112 7.1); extensions and trailers are read past. */
function dechunk(data, end, fail) {
  let state = 'size';
  let line = '';
  let left = 0;
  return (c) => {
    for (let i = 0; i < c.length; ) {
      if (state === 'data') {
        const n = Math.min(left, c.length - i);
        data(c.subarray(i, i + n));
        i += n;
        if ((left -= n) === 0) state = 'crlf';
        continue;
      }
      const b = c[i++];
      if (b !== 10) {
        if (b !== 13) line += String.fromCharCode(b);
        if (line.length > 4096) return fail(badAnswer('a chunk line of more than 4 KiB'));
        continue;
      }
      if (state === 'size') {
        const size = /^[0-9a-fA-F]{1,12}/.exec(line);
        if (!size) return fail(badAnswer('chunk size ' + JSON.stringify(line.slice(0, 20))));
        left = parseInt(size[0], 16);
        state = left === 0 ? 'trailer' : 'data';
      } else if (state === 'crlf') {
        if (line !== '') return fail(badAnswer('no line end after a chunk'));
        state = 'size';
      } else if (line === '') return end();
      line = '';
    }
  };
}
/**
 * HTTP and HTTPS without node:http: its socket streams and parser cost ~4x the CPU of reading into one buffer with
 * onread on plain HTTP (the bench's blobs on loopback), ~1.3x on HTTPS with the decryption and the hash counted
 * (512 MiB from a local node:https server: 0.99-1.13 s of the thread's CPU against 0.77-0.80 s). A blob answer is
 * simple: a status line, headers, then Content-Length bytes, a chunked body, or bytes up to the close (the request
 * says Connection: close). An interim 1xx answer is asked again through node:http, before anything of it was used.
 */
function direct(url, headers, r, on, fallback) {
  const lines = ['GET ' + url.pathname + url.search + ' HTTP/1.1', 'Host: ' + url.host];
  for (const [k, v] of Object.entries(headers)) {
    // a token with a line break in it would smuggle headers in; node:http refuses such a value too
    if (/[\r\n]/.test(k + v)) return on.fail(Object.assign(new Error('a line break in the ' + k + ' header'), { code: 'ERR_INVALID_CHAR' }));
    lines.push(k + ': ' + v);
  }
  lines.push('Connection: close', '', '');
  let head = null;
  let body;
  let untilClose = false;
  let over = false;
  const end = () => {
    if (over) return;
    over = true;
    on.end();
    sock.destroy();
  };
  const fail = (err) => {
    if (over) return;
    over = true;
    on.fail(err);
    sock.destroy();
  };
  const sized = (remaining) => (c) => {
    if (c.length > remaining) c = c.subarray(0, remaining);
    remaining -= c.length;
    on.data(c);
    if (remaining === 0) end();
  };
  const bytes = (c) => {
    if (over) return;
    if (body) return body(c);
    head = head ? Buffer.concat([head, c]) : Buffer.from(c);
    const at = head.indexOf('\r\n\r\n');
    if (at < 0) {
      if (head.length > 1 << 16) fail(badAnswer('a head of more than 64 KiB'));
      return;
    }
    const text = head.subarray(0, at).toString('latin1').split('\r\n');
    const status = /^HTTP\/1\.[01] (\d{3})/.exec(text[0]);
    if (!status) return fail(badAnswer(JSON.stringify(text[0].slice(0, 40))));
    const code = Number(status[1]);
    if (code < 200) {
      over = true;
      sock.destroy();
      return fallback();
    }
    const h = {};
    for (const line of text.slice(1)) {
      const i = line.indexOf(':');
      if (i <= 0) continue;
      const k = line.slice(0, i).trim().toLowerCase();
      const v = line.slice(i + 1).trim();
      h[k] = h[k] === undefined ? v : h[k] + ', ' + v;
    }
    const length = h['content-length'];
    let empty = code === 204 || code === 304;
    if (empty) body = () => {};
    else if (/chunked/i.test(h['transfer-encoding'] || '')) body = dechunk(on.data, end, fail);
    else if (length !== undefined && /^\d+$/.test(length)) {
      empty = length === '0' || /^0+$/.test(length);
      body = sized(Number(length));
    } else if (length !== undefined) return fail(badAnswer('Content-Length ' + JSON.stringify(length.slice(0, 20))));
    else {
      untilClose = true;
      body = on.data;
    }
    const rest = head.subarray(at + 4);
    head = null;
    on.head(code, h);
    if (empty) return end();
    if (rest.length > 0) body(rest);
  };
  const read = Buffer.allocUnsafe(READ_BYTES);
  const onread = { buffer: read, callback: (n, b) => void bytes(b.subarray(0, n)) };
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const secure = url.protocol === 'https:';
  // the certificate is checked against the host name by tls.connect itself (checkServerIdentity), as by node:https
  const sock = secure
    ? tls.connect({ host, port: Number(url.port || 443), ...(net.isIP(host) ? {} : { servername: host }), ...trust, onread })
    : net.connect({ host, port: Number(url.port || 80), onread });
  r.pause = () => sock.pause();
  r.resume = () => sock.resume();
  r.drop = r.abort = () => {
    over = true;
    sock.destroy();
  };
  sock.setTimeout(idleMs, () => sock.destroy(idle()));
  sock.on(secure ? 'secureConnect' : 'connect', () => sock.write(lines.join('\r\n')));
  sock.on('error', fail);
  sock.on('close', () => (untilClose && body ? end() : fail(closedEarly())));
}
parentPort.on('message', (m) => {
  const r = reqs.get(m.id);
  if (m.type === 'get') get(m);
  else if (m.type === 'ack') {
    if (r && --r.unacked < WINDOW) r.resume();
  } else if (m.type === 'discard') {
    if (r) {
      r.discard = true;
      r.drop();
    }
  } else if (m.type === 'abort') {
    if (r) {
      r.done = true;
      reqs.delete(m.id);
      r.abort();
    }
  } else if (m.type === 'digest') {
    const h = hashes.get(m.hash) || createHash('sha256');
    hashes.delete(m.hash);
    parentPort.postMessage({ type: 'digest', hash: m.hash, hex: h.digest('hex') });
  }
});
`;
