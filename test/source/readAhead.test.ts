import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ReadAhead } from '../../src/source/registry/readAhead.js';

const CHUNK = 64 << 10;

/** A source that counts what has been pulled from it, as a socket's reader would be drained. */
function counting(chunks: number, failAt?: number) {
  const state = { pulled: 0, closed: false };
  async function* gen(): AsyncGenerator<Buffer> {
    try {
      for (let i = 0; i < chunks; i++) {
        if (i === failAt) throw new Error('connection reset');
        await new Promise((r) => setImmediate(r));
        state.pulled += CHUNK;
        yield Buffer.alloc(CHUNK, i & 0xff);
      }
    } finally {
      state.closed = true;
    }
  }
  return { state, source: gen() };
}

test('read-ahead pulls before it is read, but never holds more than its limit', async () => {
  const { state, source } = counting(200);
  const limit = 1 << 20;
  const ahead = new ReadAhead(source, limit);
  ahead.start();
  // started, unread: it fills up to the limit (however busy the machine) and stops there
  for (let i = 0; i < 1000 && state.pulled < limit; i++) await new Promise((r) => setTimeout(r, 5));
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(state.pulled, limit);
  let consumed = 0;
  let maxHeld = 0;
  for await (const c of ahead) {
    assert.equal(c[0], (consumed / CHUNK) & 0xff);
    consumed += c.length;
    maxHeld = Math.max(maxHeld, state.pulled - consumed);
    await new Promise((r) => setImmediate(r));
  }
  assert.equal(consumed, 200 * CHUNK);
  assert.ok(maxHeld <= limit, `held ${maxHeld}`);
});

test("the source's error reaches the reader after the chunks before it; cancelling closes the source", async () => {
  const { source } = counting(10, 5);
  const seen: number[] = [];
  await assert.rejects(
    (async () => {
      for await (const c of new ReadAhead(source, 1 << 20)) seen.push(c[0]!);
    })(),
    /connection reset/,
  );
  assert.deepEqual(seen, [0, 1, 2, 3, 4]);

  const slow = counting(100);
  const ahead = new ReadAhead(slow.source, 4 * CHUNK);
  for await (const c of ahead) {
    void c;
    break;
  }
  for (let i = 0; i < 1000 && !slow.state.closed; i++) await new Promise((r) => setTimeout(r, 5));
  assert.equal(slow.state.closed, true);
  assert.ok(slow.state.pulled <= 6 * CHUNK);
});
