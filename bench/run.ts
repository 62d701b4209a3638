/**
 * `npm run bench [-- ARCHIVE]`: every figure of the performance issues, each with its target, the measured value and
 * ratios taken side by side in the same run (whole processes interleaved round by round; see bench/measure.ts).
 *  - issue 13, target 1: start-up against a bare node (bench/startup.ts);
 *  - target 2: CI mode on typical 100 MB and 280 MB images, docker-archive and OCI gzip, against dive 0.12 (when
 *    ../shared/reference/dive-0.12.0 or DIVE= exists; its columns are skipped otherwise) and the floors
 *    (bench/typical.ts, bench/typicalImages.ts);
 *  - target 3: the 1 GB bench archive (162k entries, 50,000 whiteouts) against the parse and verified floors;
 *  - target 4: memory per entry above the streaming baseline, and flat on a BENCH_STREAM_GB (default 50) stream
 *    piped into `fathom -` (bench/floors.ts);
 *  - target 5: the TUI's keypress to frame; then the HTML report (issue 19), the registry against the file (issue
 *    18) and `fathom diff` (issue 15).
 * BENCH_SECTIONS=startup,typical,archive,memory,diff,tui,html,registry picks sections (default: all);
 * BENCH_ROUNDS sets the rounds of the archive-sized sections (default 3; start-up and typical images take more).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchChromium, openReport } from '../test/helpers/chromium.js';
import { floorsSection, memorySection } from './floors.js';
import { ensureBenchArchive } from './generate.js';
import { registryReport, withBenchRegistry } from './registry.js';
import { startupSection } from './startup.js';
import { tuiSection } from './tui.js';
import { typicalSection } from './typical.js';
import { stripBench } from './strip.js';

const root = join(import.meta.dirname ?? '.', '..');
const cli = join(root, 'dist', 'cli', 'fathom.js');
const sections = new Set((process.env['BENCH_SECTIONS'] ?? 'startup,typical,archive,memory,strip,diff,tui,html,registry').split(','));
const given = process.argv[2];
const archive = given ? { path: given, archiveBytes: statSync(given).size, entries: 0, contentBytes: 0 } : await ensureBenchArchive();
const child = join(import.meta.dirname ?? '.', 'child.mjs');

interface Run { mode: string; seconds: number; entries: number; maxRssBytes: number }
function run(mode: string, path: string = archive.path, second?: string): Run {
  const out = execFileSync(process.execPath, [child, mode, path, ...(second ? [second] : [])], { maxBuffer: 1 << 20 });
  return JSON.parse(out.toString()) as Run;
}

const repeats = Number(process.env['BENCH_ROUNDS'] ?? process.env['BENCH_REPEATS'] ?? 3);
const mb = archive.archiveBytes / 1e6;
const row = (r: Run) =>
  `${r.mode.padEnd(18)} ${r.seconds.toFixed(2).padStart(7)} s ${(mb / r.seconds).toFixed(0).padStart(6)} MB/s  peak RSS ${(r.maxRssBytes / 1e6).toFixed(0).padStart(5)} MB`;
const print = (lines: string[]) => console.log(lines.join('\n') + '\n');

console.log(`fathom bench: node ${process.version}, ${(await import('node:os')).cpus().length} CPUs, load average ${(await import('node:os')).loadavg().map((l) => l.toFixed(1)).join(' ')}\n`);
if (sections.has('startup')) print(await startupSection(cli, root, Math.max(10, repeats * 3)));
if (sections.has('typical')) print(await typicalSection(cli, root, Math.max(5, repeats)));
if (given) archive.entries = run('fathom').entries;
if (sections.has('archive')) print(floorsSection(cli, root, archive, repeats));
if (sections.has('memory')) print(memorySection(cli, root, archive, await ensureBenchArchive('bytes'), Number(process.env['BENCH_STREAM_GB'] ?? 50)));
const baseline = run('baseline');
if (sections.has('strip')) print([await stripBench(archive.path, () => run('floor').seconds, repeats)]);

// fathom diff (issue 15): two ~1 GB archives sharing a base layer, against reviewing each alone, interleaved runs
if (sections.has('diff')) {
  const headArchive = await ensureBenchArchive('head');
  const diffRuns: Run[] = [];
  const alone: Array<[Run, Run]> = [];
  for (let i = 0; i < repeats; i++) {
    alone.push([run('review', archive.path), run('review', headArchive.path)]);
    diffRuns.push(run('diff', archive.path, headArchive.path));
}
const diffBest = diffRuns.sort((a, b) => a.seconds - b.seconds)[0]!;
const aloneBest = alone.sort((a, b) => a[0].seconds + a[1].seconds - (b[0].seconds + b[1].seconds))[0]!;
const wallSum = aloneBest[0].seconds + aloneBest[1].seconds;
const models = aloneBest[0].maxRssBytes - baseline.maxRssBytes + (aloneBest[1].maxRssBytes - baseline.maxRssBytes);
const diffModel = diffBest.maxRssBytes - baseline.maxRssBytes;
console.log(`diff of ${(archive.archiveBytes / 1e6).toFixed(0)} MB and ${(headArchive.archiveBytes / 1e6).toFixed(0)} MB sharing a base layer: ${diffBest.seconds.toFixed(2)} s, ${diffBest.entries} listed changes, peak RSS ${(diffBest.maxRssBytes / 1e6).toFixed(0)} MB`);
console.log(`  each reviewed alone: ${aloneBest[0].seconds.toFixed(2)} s + ${aloneBest[1].seconds.toFixed(2)} s, peak RSS ${(aloneBest[0].maxRssBytes / 1e6).toFixed(0)} MB and ${(aloneBest[1].maxRssBytes / 1e6).toFixed(0)} MB`);
console.log(`  diff / sum of both alone: ${(diffBest.seconds / wallSum).toFixed(2)}x wall (target <= 1.1x); memory above idle ${(diffModel / 1e6).toFixed(0)} MB vs the two models ${(models / 1e6).toFixed(0)} MB: ${(diffModel / models).toFixed(2)}x (target <= 1.1x)`);
}

if (sections.has('tui')) print(tuiSection(archive.path));

if (sections.has('html')) {
  const htmlDir = mkdtempSync(join(tmpdir(), 'fathom-bench-html-'));
  try {
    const htmlFile = join(htmlDir, 'report.html');
    const html = JSON.parse(execFileSync(process.execPath, [join(import.meta.dirname ?? '.', 'htmlChild.mjs'), archive.path, htmlFile], { maxBuffer: 1 << 20 }).toString()) as { ms: number; bytes: number; nodes: number };
    const browser = await launchChromium({ width: 1400, height: 1000 });
    const renders: number[] = [];
    try {
      for (let i = 0; i < Math.max(3, repeats); i++) {
        const r = await openReport(browser, htmlFile);
        if (r.problems.length > 0 || r.requests.length > 0) throw new Error(`the report page misbehaved: ${[...r.problems, ...r.requests].join('; ')}`);
        renders.push(r.firstRenderMs);
        await r.page.close();
      }
    } finally {
      await browser.close();
    }
    renders.sort((a, b) => a - b);
    console.log(`HTML report: ${(html.bytes / 1e6).toFixed(2)} MB (target <= 3 MB), ${html.nodes} tree nodes, made in ${html.ms.toFixed(0)} ms after analysis; first render in chromium best ${renders[0]!.toFixed(0)} ms, median ${renders[Math.floor(renders.length / 2)]!.toFixed(0)} ms over ${renders.length} loads (target <= 1500 ms)`);
  } finally {
    rmSync(htmlDir, { recursive: true, force: true });
}
}

// file and registry alternate, so both see the same machine; the registry process shares the two cores
if (sections.has('registry')) {
  const fromRegistry = await withBenchRegistry(archive.path, async (ref, pushSeconds) => {
    const pairs: Array<{ file: Run; registry: Run }> = [];
    for (let i = 0; i < repeats; i++) pairs.push({ file: run('fathom'), registry: run('fathom-registry', ref) });
    return { pushSeconds, pairs };
  });
  if (typeof fromRegistry === 'string') {
    console.log(`registry: not measured (${fromRegistry})`);
  } else {
    console.log(registryReport(fromRegistry.pushSeconds, fromRegistry.pairs, row));
  }
}
