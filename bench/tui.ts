import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

interface TuiFigures {
  paths: number;
  firstFrameMs: number;
  reviewedMs: number;
  single: { p50: number; p95: number; max: number; keys: number; gapMs: number };
  idle: { steps: number; max: number };
  burst: { p50: number; p95: number; bursts: number; keys: number; keysLost: boolean };
  history: { p50: number; max: number; rows: number };
}

/** The browser's figures on the bench archive's tree (bench/tuiChild.ts), as the lines the bench prints. */
export function tuiSection(archive: string): string[] {
  const out = execFileSync(process.execPath, ['--import', 'tsx', join(import.meta.dirname ?? '.', 'tuiChild.ts'), archive], {
    maxBuffer: 1 << 20,
    env: { ...process.env, NODE_ENV: 'production' },
  }).toString();
  const t = JSON.parse(out) as TuiFigures;
  const ms = (n: number) => `${n.toFixed(1)} ms`;
  return [
    `TUI on ${t.paths} paths: last byte read to first frame ${(t.firstFrameMs / 1000).toFixed(2)} s (target <= 1 s; the tree and the frame), to the frame with the review ${(t.reviewedMs / 1000).toFixed(2)} s (analysis and rules after the first frame)`,
    `  keypress to frame, single keys ${t.single.gapMs} ms apart: p50 ${ms(t.single.p50)}, p95 ${ms(t.single.p95)}, max ${ms(t.single.max)} over ${t.single.keys} keys (target p95 <= 50 ms; a key due during an idle step waits for it: ${t.idle.steps} steps, longest ${ms(t.idle.max)})`,
    `  ${t.burst.keys}-key bursts in one read, per key: p50 ${ms(t.burst.p50)}, p95 ${ms(t.burst.p95)} over ${t.burst.bursts} bursts; ${t.burst.keysLost ? 'KEYS LOST (state differs from the same keys one by one)' : 'no key lost (same state as the keys one by one)'}`,
    `  history pane on a path with ${t.history.rows} layers of history: open p50 ${ms(t.history.p50)}, max ${ms(t.history.max)}`,
  ];
}
