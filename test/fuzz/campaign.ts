/**
 * The fuzz campaign: cases run in worker threads (one with the zstd binary on PATH, one without, so both zstd
 * decoders are fuzzed), each case under a time limit and the process under a memory bound. A case that overruns,
 * a worker that dies (out of memory), an unhandled rejection, an exception that is not fathom's own, or an error
 * message that is not one line naming the archive is a finding, with the command that reproduces it.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Outcome } from './fuzzCase.js';

export interface CampaignOptions {
  readonly seed: number;
  readonly cases: number;
  /** First case number (cases are numbered from 0). */
  readonly from?: number;
  readonly caseTimeoutMs?: number;
  /** Peak RSS of this process above which the running cases are findings. */
  readonly rssLimitBytes?: number;
  readonly onProgress?: (done: number) => void;
}

export interface Finding {
  readonly caseNo: number;
  readonly what: string;
  readonly reproduce: string;
}

export interface CampaignResult {
  ok: number;
  inputErrors: number;
  readonly findings: Finding[];
  /** Each fathom error message's first words, counted: what the cases ran into. */
  readonly errorKinds: Map<string, number>;
}

function zstdPath(): string {
  const r = spawnSync('sh', ['-c', 'command -v zstd']);
  const p = r.stdout.toString().trim();
  if (r.status !== 0 || !p) throw new Error('the fuzz campaign needs the zstd binary to build its seeds (apt-get install zstd)');
  return p;
}

const WORKER = new URL('./fuzzWorker.ts', import.meta.url);

const reproduce = (seed: number, caseNo: number) => `npm run fuzz -- --seed ${seed} --case ${caseNo}`;

/** One lane: a worker and the cases it runs, restarted after a hang or a crash. */
class Lane {
  private worker: Worker | undefined;
  private settle: ((r: { outcome?: Outcome; failure?: string }) => void) | undefined;
  private running = -1;

  constructor(
    private readonly seed: number,
    private readonly zstd: string,
    private readonly scratch: string,
    private readonly withoutZstdBinary: boolean,
    private readonly findings: Finding[],
  ) {}

  private start(): Worker {
    const env = this.withoutZstdBinary ? { ...process.env, PATH: mkdtempSync(join(tmpdir(), 'fathom-fuzz-nopath-')) } : process.env;
    // TypeScript in the worker through tsx's loader, registered before the worker's module is imported
    const boot = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(WORKER.href)}); })`;
    const w = new Worker(boot, {
      eval: true,
      workerData: { seed: this.seed, zstdPath: this.zstd, scratchFile: this.scratch },
      env,
      resourceLimits: { maxOldGenerationSizeMb: 768 },
    });
    w.on('message', (m: { type: string; caseNo: number; outcome?: Outcome; message?: string }) => {
      if (m.type === 'done' && m.caseNo === this.running) this.finish({ outcome: m.outcome! });
      else if (m.type === 'unhandled') {
        const caseNo = m.caseNo >= 0 ? m.caseNo : this.running;
        this.findings.push({ caseNo, what: `unhandled rejection: ${m.message}`, reproduce: reproduce(this.seed, caseNo) });
      }
    });
    w.on('error', (err) => this.finish({ failure: `the worker died: ${err.message}` }));
    w.on('exit', (code) => this.finish({ failure: `the worker exited (${code})` }));
    this.worker = w;
    return w;
  }

  private finish(r: { outcome?: Outcome; failure?: string }): void {
    const s = this.settle;
    this.settle = undefined;
    if (r.failure) this.worker = undefined;
    s?.(r);
  }

  async run(caseNo: number, timeoutMs: number): Promise<{ outcome?: Outcome; failure?: string }> {
    const w = this.worker ?? this.start();
    this.running = caseNo;
    const result = new Promise<{ outcome?: Outcome; failure?: string }>((resolve) => (this.settle = resolve));
    const timer = setTimeout(() => {
      this.finish({ failure: `no outcome within ${timeoutMs} ms (a hang)` });
      void w.terminate();
    }, timeoutMs);
    w.postMessage({ caseNo });
    const r = await result;
    clearTimeout(timer);
    return r;
  }

  /** Stop the worker (the campaign's memory bound was crossed while it ran). */
  kill(): void {
    const w = this.worker;
    this.finish({ failure: 'killed' });
    void w?.terminate();
  }

  async close(): Promise<void> {
    const w = this.worker;
    this.worker = undefined;
    this.settle = undefined;
    await w?.terminate();
  }
}

export async function runCampaign(o: CampaignOptions): Promise<CampaignResult> {
  const dir = mkdtempSync(join(tmpdir(), 'fathom-fuzz-'));
  const zstd = zstdPath();
  const findings: Finding[] = [];
  const lanes = [new Lane(o.seed, zstd, join(dir, 'a.tar'), false, findings), new Lane(o.seed, zstd, join(dir, 'b.tar'), true, findings)];
  const result: CampaignResult = { ok: 0, inputErrors: 0, findings, errorKinds: new Map() };
  const from = o.from ?? 0;
  const timeoutMs = o.caseTimeoutMs ?? 20_000;
  const rssLimit = o.rssLimitBytes ?? 2 * 2 ** 30;
  let overMemory = false;
  const watch = setInterval(() => {
    if (process.memoryUsage.rss() > rssLimit) {
      overMemory = true;
      for (const lane of lanes) lane.kill();
    }
  }, 50);
  let done = 0;
  try {
    await Promise.all(
      lanes.map(async (lane, l) => {
        for (let caseNo = from + l; caseNo < from + o.cases; caseNo += lanes.length) {
          const r = await lane.run(caseNo, timeoutMs);
          if (r.failure) {
            const what = overMemory ? `memory above ${rssLimit} bytes of RSS while it ran` : r.failure;
            findings.push({ caseNo, what, reproduce: reproduce(o.seed, caseNo) });
            overMemory = false;
          } else if (r.outcome!.kind === 'ok') result.ok++;
          else if (r.outcome!.kind === 'input-error') {
            result.inputErrors++;
            const key = r.outcome!.message.replace(/^fuzz-\d+-\d+\.tar: /, '').replace(/[0-9a-f]{12,}/g, 'H').replace(/\d+/g, 'N').slice(0, 60);
            result.errorKinds.set(key, (result.errorKinds.get(key) ?? 0) + 1);
          } else findings.push({ caseNo, what: r.outcome!.message, reproduce: reproduce(o.seed, caseNo) });
          o.onProgress?.(++done);
        }
      }),
    );
  } finally {
    clearInterval(watch);
    await Promise.all(lanes.map((l) => l.close()));
    rmSync(dir, { recursive: true, force: true });
  }
  findings.sort((a, b) => a.caseNo - b.caseNo);
  return result;
}
