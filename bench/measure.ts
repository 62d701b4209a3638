/**
 * Whole processes timed side by side: each command runs in turn (A B C A B C …) so that all of them see the same
 * machine, and every ratio is taken pair by pair before its median, so a comparison holds while the machine's speed
 * drifts. Wall time from this process; CPU time from the kernel's account of reaped children (/proc/self/stat
 * cutime + cstime); peak RSS from bench/peakRss.mjs when the command is a node process that preloads it.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Command {
  readonly label: string;
  readonly argv: readonly string[];
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly cwd?: string;
  /** Run by `sh -c` (a pipe); argv is then [script]. */
  readonly shell?: boolean;
}

export interface Sample {
  readonly wall: number;
  readonly cpu: number;
  readonly maxRssBytes?: number;
  readonly status: number | null;
}

const TICK = 0.01; // USER_HZ: /proc reports children's CPU in 1/100 s

function childCpuSeconds(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // after the command name: state is field 3; cutime and cstime are fields 16 and 17
  return (Number(fields[13]) + Number(fields[14])) * TICK;
}

const peakDir = mkdtempSync(join(tmpdir(), 'fathom-bench-peak-'));
process.on('exit', () => rmSync(peakDir, { recursive: true, force: true }));
let runs = 0;

export function runOnce(c: Command): Sample {
  const peakFile = join(peakDir, `${runs++}.json`);
  const env: Record<string, string | undefined> = { ...process.env, BENCH_PEAK_FILE: peakFile, ...c.env };
  for (const k of Object.keys(env)) if (env[k] === undefined) delete env[k];
  const cpu0 = childCpuSeconds();
  const t0 = process.hrtime.bigint();
  const r = c.shell
    ? spawnSync('sh', ['-c', c.argv[0]!], { env: env as NodeJS.ProcessEnv, cwd: c.cwd, stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 16 << 20 })
    : spawnSync(c.argv[0]!, c.argv.slice(1), { env: env as NodeJS.ProcessEnv, cwd: c.cwd, stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 16 << 20 });
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = childCpuSeconds() - cpu0;
  if (r.error) throw new Error(`${c.label}: ${r.error.message}`);
  const peak = existsSync(peakFile) ? (JSON.parse(readFileSync(peakFile, 'utf8')) as { maxRssBytes: number }).maxRssBytes : undefined;
  return { wall, cpu, status: r.status, ...(peak !== undefined ? { maxRssBytes: peak } : {}) };
}

export const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

export interface Compared {
  readonly samples: ReadonlyMap<string, readonly Sample[]>;
  /** Median wall and CPU seconds of a command. */
  wall(label: string): number;
  cpu(label: string): number;
  maxRss(label: string): number | undefined;
  /** The median over rounds of a's time / b's time in the same round. */
  ratio(a: string, b: string, of?: 'wall' | 'cpu'): number;
}

/** `rounds` rounds of every command in turn after one warm-up round; the order rotates each round. */
export function interleaved(commands: readonly Command[], rounds: number): Compared {
  const samples = new Map<string, Sample[]>(commands.map((c) => [c.label, []]));
  for (const c of commands) runOnce(c);
  for (let i = 0; i < rounds; i++) {
    for (let j = 0; j < commands.length; j++) {
      const c = commands[(i + j) % commands.length]!;
      samples.get(c.label)!.push(runOnce(c));
    }
  }
  const of = (label: string) => {
    const s = samples.get(label);
    if (!s) throw new Error(`no command ${label}`);
    return s;
  };
  return {
    samples,
    wall: (l) => median(of(l).map((s) => s.wall)),
    cpu: (l) => median(of(l).map((s) => s.cpu)),
    maxRss: (l) => {
      const xs = of(l).flatMap((s) => (s.maxRssBytes !== undefined ? [s.maxRssBytes] : []));
      return xs.length ? Math.max(...xs) : undefined;
    },
    ratio: (a, b, k = 'wall') => median(of(a).map((s, i) => s[k] / Math.max(of(b)[i]![k], 1e-9))),
  };
}

/** A fixed-width table: the header row, then the rows; numbers right-aligned. */
export function table(head: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: readonly string[]) => r.map((c, i) => (i === 0 ? c.padEnd(w[i]!) : c.padStart(w[i]!))).join('  ');
  return [line(head), line(w.map((n) => '-'.repeat(n))), ...rows.map(line)].join('\n');
}

export const secs = (s: number) => `${s.toFixed(s < 1 ? 3 : 2)} s`;
export const times = (x: number) => `${x.toFixed(2)}x`;
export const mb = (b: number) => `${(b / 1e6).toFixed(0)} MB`;
