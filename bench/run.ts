/**
 * `npm run bench [-- ARCHIVE]`: fathom against the floor (decompress + tar parse, no analysis) on the same bytes.
 * Prints wall time, MB/s, peak RSS and bytes of memory per file entry above an idle baseline. The floor uses the
 * same tar parser as fathom (src/tar/); a second floor through tar-stream is printed for reference.
 * Targets (issue #2): fathom within 1.5x of the floor; under 300 bytes per entry above the baseline.
 * Then the HTML report of the same archive (issue #19): its size (at most 3 MB) and its first render in chromium
 * (at most 1.5 s), from navigation start to the page's mark after its first frame.
 * Then the same archive from a local registry against the file (issue #18: at most 1.3x on loopback).
 * Then `fathom diff` (issue 15) of that archive and a second ~1 GB one sharing its base layer: wall time at most
 * 1.1x the sum of reviewing each alone, memory above idle at most 1.1x the two models (each run's above idle).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchChromium, openReport } from '../test/helpers/chromium.js';
import { ensureBenchArchive } from './generate.js';
import { withBenchRegistry } from './registry.js';

const given = process.argv[2];
const archive = given ? { path: given, archiveBytes: statSync(given).size, entries: 0, contentBytes: 0 } : await ensureBenchArchive();
const child = join(import.meta.dirname ?? '.', 'child.mjs');

interface Run { mode: string; seconds: number; entries: number; maxRssBytes: number }
function run(mode: string, path: string = archive.path, second?: string): Run {
  const out = execFileSync(process.execPath, [child, mode, path, ...(second ? [second] : [])], { maxBuffer: 1 << 20 });
  return JSON.parse(out.toString()) as Run;
}

const best = (mode: string, n: number): Run => {
  const runs = Array.from({ length: n }, () => run(mode));
  return runs.sort((a, b) => a.seconds - b.seconds)[0]!;
};

const repeats = Number(process.env['BENCH_REPEATS'] ?? 2);
const baseline = run('baseline');
// fathom on an archive of few entries and many bytes: fixed and per-byte memory, so what is left is per entry
const bytesArchive = await ensureBenchArchive('bytes');
const streaming = run('fathom', bytesArchive.path);
const floor = best('floor', repeats);
const floorTarStream = best('floor-tar-stream', repeats);
const fathom = best('fathom', repeats);
const mb = archive.archiveBytes / 1e6;
const row = (r: Run) =>
  `${r.mode.padEnd(18)} ${r.seconds.toFixed(2).padStart(7)} s ${(mb / r.seconds).toFixed(0).padStart(6)} MB/s  peak RSS ${(r.maxRssBytes / 1e6).toFixed(0).padStart(5)} MB`;
console.log(`archive: ${archive.path}`);
console.log(`  ${mb.toFixed(0)} MB on disk${archive.contentBytes ? `, ${(archive.contentBytes / 1e6).toFixed(0)} MB of file content` : ''}, ${fathom.entries} entries`);
console.log(`baseline  idle node with fathom's modules loaded: peak RSS ${(baseline.maxRssBytes / 1e6).toFixed(0)} MB`);
console.log(`streaming fathom on ${(bytesArchive.archiveBytes / 1e6).toFixed(0)} MB in ${streaming.entries} entries: peak RSS ${(streaming.maxRssBytes / 1e6).toFixed(0)} MB`);
console.log(row(floor));
console.log(row(floorTarStream));
console.log(row(fathom));
const ratio = fathom.seconds / floor.seconds;
const perEntry = (fathom.maxRssBytes - streaming.maxRssBytes) / fathom.entries;
const perEntryIdle = (fathom.maxRssBytes - baseline.maxRssBytes) / fathom.entries;
console.log(`fathom / floor: ${ratio.toFixed(2)}x (target <= 1.5x); the floor uses fathom's own tar parser`);
console.log(`fathom / floor-tar-stream: ${(fathom.seconds / floorTarStream.seconds).toFixed(2)}x (the same floor through the tar-stream library, for reference)`);
console.log(`peak RSS per entry above the streaming baseline: ${perEntry.toFixed(0)} bytes (target < 300)`);
console.log(`peak RSS per entry above an idle process: ${perEntryIdle.toFixed(0)} bytes`);

// fathom diff (issue 15): two ~1 GB archives sharing a base layer, against reviewing each alone, interleaved runs
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

const tui = JSON.parse(
  execFileSync(process.execPath, [join(import.meta.dirname ?? '.', 'tuiChild.mjs'), archive.path], {
    maxBuffer: 1 << 20,
    env: { ...process.env, NODE_ENV: 'production' },
  }).toString(),
) as { paths: number; firstFrameMs: number; p50Ms: number; p95Ms: number; maxMs: number; keys: number };
console.log(`TUI on ${tui.paths} paths: first frame ${tui.firstFrameMs.toFixed(0)} ms after analysis; keypress to frame p50 ${tui.p50Ms.toFixed(1)} ms, p95 ${tui.p95Ms.toFixed(1)} ms, max ${tui.maxMs.toFixed(0)} ms over ${tui.keys} keys (target < 50 ms)`);

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

// file and registry alternate, so both see the same machine; the registry process shares the two cores
const fromRegistry = await withBenchRegistry(archive.path, async (ref, pushSeconds) => {
  const file: Run[] = [];
  const registry: Run[] = [];
  for (let i = 0; i < repeats; i++) {
    file.push(run('fathom'));
    registry.push(run('fathom-registry', ref));
  }
  const fastest = (rs: Run[]) => rs.sort((a, b) => a.seconds - b.seconds)[0]!;
  return { pushSeconds, file: fastest(file), registry: fastest(registry) };
});
if (typeof fromRegistry === 'string') {
  console.log(`registry: not measured (${fromRegistry})`);
} else {
  const { file, registry, pushSeconds } = fromRegistry;
  console.log(`registry: the archive pushed to a local docker-registry with skopeo in ${pushSeconds.toFixed(1)} s`);
  console.log(row({ ...file, mode: 'fathom (file)' }));
  console.log(row({ ...registry, mode: 'fathom (registry)' }));
  if (registry.entries !== file.entries) console.log(`registry: ${registry.entries} entries, the file ${file.entries}: they differ!`);
  console.log(`registry / file: ${(registry.seconds / file.seconds).toFixed(2)}x (target <= 1.3x on loopback)`);
}
