import prettyBytes from 'pretty-bytes';
import type { Analysis } from '../analysis/analyzeImage.js';
import type { Image } from '../model/imageTypes.js';
import { diveBytes } from './humanBytes.js';

/** dive's own format for a percentage: `%2.4f %%`. */
export function percent(x: number): string {
  return `${(x * 100).toFixed(4)} %`;
}

/** The "Analysis:" lines as dive prints them in CI, plus fathom's reclaimable figure. */
export function analysisLines(a: Analysis): string[] {
  return [
    `  efficiency: ${percent(a.efficiency)}`,
    `  wastedBytes: ${a.wastedBytes} bytes (${diveBytes(a.wastedBytes)})`,
    // dive's 0/0 for an image without user layers prints NaN; the JSON keeps fathom's 0
    `  userWastedPercent: ${a.userSizeBytes === 0 ? 'NaN %' : percent(a.userWastedPercent)}`,
    `  reclaimableBytes: ${a.reclaimableBytes} bytes (${diveBytes(a.reclaimableBytes)})`,
  ];
}

/** dive's table: `%5s  %12s  %-s`, largest first. */
export function inefficientFilesLines(a: Analysis, limit = Infinity): string[] {
  const row = (c: string, s: string, p: string) => `${c.padStart(5)}  ${s.padStart(12)}  ${p}`;
  const out = ['Inefficient Files:', row('Count', 'Wasted Space', 'File Path')];
  if (a.inefficient.length === 0) out.push('None');
  // the CI text lists every file (the bench archive: 60,000 rows), whose sizes repeat: each is formatted once
  const sizes = new Map<number, string>();
  const n = Math.min(a.inefficient.length, limit);
  for (let i = 0; i < n; i++) {
    const f = a.inefficient.at(i)!;
    let s = sizes.get(f.cumulativeSize);
    if (s === undefined) sizes.set(f.cumulativeSize, (s = diveBytes(f.cumulativeSize).padStart(12)));
    out.push(`${String(f.count).padStart(5)}  ${s}  ${f.path}`);
  }
  if (a.inefficient.length > limit) out.push(`  … ${a.inefficient.length - limit} more (see --json)`);
  return out;
}

function layerLines(image: Image): string[] {
  const out = ['Layers:', `${'Idx'.padStart(4)}  ${'Size'.padStart(9)}  Command`];
  for (const l of image.layers) {
    const cmd = l.command.replace(/\s+/g, ' ');
    out.push(`${String(l.index).padStart(4)}  ${prettyBytes(l.size).padStart(9)}  ${cmd.length > 100 ? cmd.slice(0, 99) + '…' : cmd}`);
  }
  return out;
}

/** Where the reclaimable bytes are and who hid them: the "why is this waste" answer. */
function hiddenLines(a: Analysis, limit: number): string[] {
  if (a.hidden.length === 0) return [];
  const out = ['Hidden bytes (written by one layer, not visible in the final image):'];
  out.push(`${'Size'.padStart(9)}  ${'Written'.padStart(7)}  ${'Hidden'.padStart(6)}  How          Path`);
  for (const h of a.hidden.slice(0, limit)) {
    out.push(`${prettyBytes(h.size).padStart(9)}  ${String(h.writtenBy).padStart(7)}  ${String(h.hiddenBy).padStart(6)}  ${h.how.padEnd(11)}  ${h.path}`);
  }
  if (a.hidden.length > limit) out.push(`  … ${a.hidden.length - limit} more (see --json)`);
  return out;
}

/** The report printed when there is no terminal UI: everything dive's CI mode shows and the layers. */
export function textReport(image: Image, a: Analysis, limit = 50): string {
  const name = image.tags.length > 0 ? image.tags.join(', ') : '(untagged)';
  const lines = [
    `Image: ${name}`,
    `  id: ${image.id}`,
    `  source: ${image.source} (${image.layout}${image.config.os ? `, ${image.config.os}/${image.config.architecture}` : ''})`,
    `  size: ${a.sizeBytes} bytes (${prettyBytes(a.sizeBytes)}), user layers ${a.userSizeBytes} bytes (${prettyBytes(a.userSizeBytes)})`,
    ...image.notes.map((n) => `  note: ${n}`),
    '',
    ...layerLines(image),
    '',
    'Analysis:',
    ...analysisLines(a),
    '',
    ...inefficientFilesLines(a, limit),
  ];
  const hidden = hiddenLines(a, Math.min(limit, 20));
  if (hidden.length > 0) lines.push('', ...hidden);
  return lines.join('\n') + '\n';
}
