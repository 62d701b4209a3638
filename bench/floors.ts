/**
 * Target 3 of issue 13: the 1 GB bench archive against two floors — the parse floor (read + decompress + tar parse)
 * and the verified floor (the parse floor plus sha256 of every blob and diff_id and xxh64 of every file: the work no
 * correct run can skip, on the same threads as fathom) — fathom ≤ 1.25x the verified floor. fathom twice: the CLI in
 * CI mode as a user runs it (rules, gate, report included) and the load plus analysis alone in one process.
 * Target 4: peak RSS per entry above the streaming baseline (≤ 300 bytes), and flat on a synthetic stream of many
 * gigabytes in few files piped into `fathom -`.
 */
import { join } from 'node:path';
import { interleaved, mb, runOnce, secs, table, times, type Command } from './measure.js';
import type { BenchArchive } from './generate.js';

export function floorsSection(cli: string, root: string, archive: BenchArchive, rounds: number): string[] {
  const node = process.execPath;
  const child = join(root, 'bench', 'child.mjs');
  const cmds: Command[] = [
    { label: 'floor', argv: [node, child, 'floor', archive.path] },
    { label: 'verified floor', argv: [node, child, 'verified-floor', archive.path] },
    { label: 'floor (tar-stream)', argv: [node, child, 'floor-tar-stream', archive.path] },
    { label: 'fathom CLI (CI=true)', argv: [node, cli, archive.path], env: { CI: 'true' }, cwd: root },
    { label: 'fathom load + analysis', argv: [node, child, 'fathom', archive.path] },
  ];
  const r = interleaved(cmds, rounds);
  const rows = cmds.map((c) => [
    c.label,
    secs(r.wall(c.label)),
    `${((archive.archiveBytes / 1e6) / r.wall(c.label)).toFixed(0)} MB/s`,
    secs(r.cpu(c.label)),
    times(r.ratio(c.label, 'floor')),
    times(r.ratio(c.label, 'verified floor')),
  ]);
  const cliVsVerified = r.ratio('fathom CLI (CI=true)', 'verified floor');
  const loadVsVerified = r.ratio('fathom load + analysis', 'verified floor');
  return [
    `the bench archive (target 3): ${mb(archive.archiveBytes)}, ${archive.entries} entries, ${rounds} rounds, medians; ratios pair by pair`,
    table(['', 'wall', 'rate', 'CPU', '/ floor', '/ verified floor'], rows),
    `  fathom / verified floor: CLI ${times(cliVsVerified)}, load + analysis ${times(loadVsVerified)} (target <= 1.25x)${cliVsVerified <= 1.25 ? '' : ' NOT MET by the CLI'}`,
    `  fathom / parse floor: CLI ${times(r.ratio('fathom CLI (CI=true)', 'floor'))} (the former 1.5x target; out of reach with verification on 2 cores)`,
  ];
}

export function memorySection(cli: string, root: string, archive: BenchArchive, bytesArchive: BenchArchive, streamGb: number): string[] {
  const node = process.execPath;
  const child = join(root, 'bench', 'child.mjs');
  const inProcess = (mode: string, path: string) => {
    const r = runOnce({ label: mode, argv: [node, '--import', join(root, 'bench', 'peakRss.mjs'), child, mode, path] });
    return r.maxRssBytes ?? 0;
  };
  const baseline = inProcess('baseline', archive.path);
  const streaming = inProcess('fathom', bytesArchive.path);
  const full = inProcess('fathom', archive.path);
  const perEntry = (full - streaming) / archive.entries;
  const stream = join(root, 'bench', 'stream.mjs');
  const cache = join(root, 'bench', '.cache', 'stream-diffids.json');
  const piped = (gb: number) =>
    runOnce({
      label: `stream ${gb} GB`,
      shell: true,
      argv: [`${JSON.stringify(node)} ${JSON.stringify(stream)} ${gb} ${JSON.stringify(cache)} | ${JSON.stringify(node)} --import ${JSON.stringify(join(root, 'bench', 'peakRss.mjs'))} ${JSON.stringify(cli)} - --ci`],
      cwd: root,
    });
  const small = piped(1);
  const big = piped(streamGb);
  const grow = (big.maxRssBytes ?? 0) - (small.maxRssBytes ?? 0);
  return [
    'memory (target 4):',
    `  idle process with fathom's modules loaded: peak RSS ${mb(baseline)}`,
    `  streaming baseline, fathom on ${mb(bytesArchive.archiveBytes)} in ${bytesArchive.entries} entries: ${mb(streaming)}`,
    `  the bench archive, ${archive.entries} entries: ${mb(full)}; per entry above the streaming baseline ${perEntry.toFixed(0)} bytes (target <= 300)${perEntry <= 300 ? '' : ' NOT MET'}`,
    `  \`fathom -\` on a generated stream of few 1 GiB files: 1 GB peak RSS ${mb(small.maxRssBytes ?? 0)} in ${secs(small.wall)}, ${streamGb} GB ${mb(big.maxRssBytes ?? 0)} in ${secs(big.wall)}: ${grow >= 0 ? '+' : ''}${(grow / 1e6).toFixed(1)} MB (flat: within a few MB)`,
  ];
}
