/**
 * Target 2 of issue 13: CI mode on typical images (bench/typicalImages.ts), every digest verified, against dive 0.12
 * on the same archive (≤ 1.0x dive from 250 MB up, ≤ 1.5x at 100 MB), with the parse floor and the verified floor
 * beside them. Every figure is a whole process, interleaved round by round.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { interleaved, mb, secs, table, times, type Command } from './measure.js';
import { ensureTypicalImages } from './typicalImages.js';

/** dive 0.12 as the project's reference (../shared/reference), or DIVE=path; undefined when neither exists. */
export function findDive(root: string): string | undefined {
  const p = process.env['DIVE'] ?? join(root, '..', 'shared', 'reference', 'dive-0.12.0');
  return existsSync(p) ? p : undefined;
}

export async function typicalSection(cli: string, root: string, rounds: number): Promise<string[]> {
  const images = await ensureTypicalImages();
  const dive = findDive(root);
  const node = process.execPath;
  const child = join(root, 'bench', 'child.mjs');
  const out: string[] = [
    `typical images (target 2), CI mode, ${rounds} rounds, median wall time; ratios pair by pair within a round` +
      (dive ? '' : '\n  dive 0.12 not found (../shared/reference/dive-0.12.0, or set DIVE=): the dive columns are skipped'),
  ];
  const rows: string[][] = [];
  for (const img of images) {
    const diveReads = dive !== undefined && img.layout === 'docker-archive';
    const cmds: Command[] = [
      { label: 'fathom', argv: [node, cli, img.path], env: { CI: 'true' }, cwd: root },
      { label: 'floor', argv: [node, child, 'floor', img.path] },
      { label: 'verified', argv: [node, child, 'verified-floor', img.path] },
      ...(diveReads ? [{ label: 'dive', argv: [dive, '--source', 'docker-archive', img.path], env: { CI: 'true' } }] : []),
    ];
    const r = interleaved(cmds, rounds);
    const fathomVsDive = diveReads ? r.ratio('fathom', 'dive') : undefined;
    const target = img.archiveBytes >= 250e6 ? 1.0 : 1.5;
    rows.push([
      `${img.name} ${img.layout}`,
      mb(img.archiveBytes),
      String(img.entries),
      diveReads ? secs(r.wall('dive')) : dive ? 'cannot read' : 'absent',
      secs(r.wall('fathom')),
      secs(r.wall('floor')),
      secs(r.wall('verified')),
      fathomVsDive !== undefined ? `${times(fathomVsDive)} (<= ${target.toFixed(1)}x)${fathomVsDive <= target ? '' : ' NOT MET'}` : '-',
      times(r.ratio('fathom', 'floor')),
      times(r.ratio('fathom', 'verified')),
      `${secs(r.cpu('fathom'))}${diveReads ? ` / ${secs(r.cpu('dive'))}` : ''}`,
    ]);
  }
  out.push(table(['image', 'archive', 'entries', 'dive 0.12', 'fathom', 'floor', 'verified floor', 'fathom/dive', 'fathom/floor', 'fathom/verified', 'CPU fathom / dive'], rows));
  out.push(
    '  floor: read + decompress + tar parse; verified floor: the floor plus sha256 of every blob and diff_id and xxh64 of every file (the same threads as fathom);' +
      '\n  dive 0.12 cannot read an OCI archive without manifest.json',
  );
  return out;
}
