import { setFlagsFromString } from 'node:v8';
import { digestWorkerBooted, startDigestWorker } from '../layer/parallelSha256.js';

/**
 * Run a batch phase (reading and analysing an archive) with V8's incremental marking off, and turn it back on after.
 * While an archive loads, old space grows only by the interned paths while external memory (the 1 MiB chunks in
 * flight) stays large: V8 then starts incremental marking at its soft limit every ~50 ms. On the bench archive that
 * was 30–35 mark-compacts that each freed almost nothing (13.4 → 13.3 MB), ~0.35 s on the main thread plus the
 * helpers' marking. With it off, V8 collects at its hard limit: 4–5 mark-compacts, ~0.5 s less CPU. Pauses are no
 * concern while nothing is on screen; the browser gets incremental marking back.
 *
 * Flags change only while no worker isolate is being created (V8 reads them there unguarded): enter before the
 * digest worker starts, or after it has booted; leave after it has booted.
 */
let depth = 0;

export function enterBatchGc(): void {
  if (depth++ === 0) setFlagsFromString('--no-incremental-marking');
}

export async function leaveBatchGc(): Promise<void> {
  await digestWorkerBooted();
  if (--depth === 0) setFlagsFromString('--incremental-marking');
}

export async function withBatchGc<T>(phase: () => Promise<T>): Promise<T> {
  await digestWorkerBooted();
  enterBatchGc();
  try {
    return await phase();
  } finally {
    await leaveBatchGc();
  }
}

let early = false;

/**
 * Batch GC on and the digest worker starting, as soon as the CLI's entry sees that the command reviews an image
 * (before yargs and the command's modules load): the worker's start-up, a Node environment of its own (tens of ms,
 * longer on a busy machine), then overlaps them instead of delaying the first digest, which on a small image is what
 * the load waits for last. The command's own beginImageLoad takes this over rather than entering again.
 */
export function beginImageLoadEarly(): void {
  enterBatchGc();
  startDigestWorker();
  early = true;
}

/** Batch GC on (flags first: the worker's isolate must not be in the making) and the digest worker starting. */
export function beginImageLoad(): void {
  if (early) {
    early = false;
    return;
  }
  enterBatchGc();
  startDigestWorker();
}
