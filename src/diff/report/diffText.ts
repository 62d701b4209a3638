import { resultLines } from '../../report/ciText.js';
import type { GateResult } from '../../ci/check.js';
import type { ImageDiff } from '../imageDiff.js';
import {
  biggestFirst,
  bytes,
  CHANGE_LETTER,
  changeCounts,
  describeChange,
  describeConfig,
  signedBytes,
  signedPercent,
  subjectOf,
} from './diffWords.js';

const pct = (x: number) => `${(x * 100).toFixed(2)} %`;
const pad = (s: string, n: number) => (s.length >= n ? s : ' '.repeat(n - s.length) + s);

export interface DiffTextOptions {
  /** Paths listed (all of them with --expand). */
  readonly maxPaths: number;
  readonly gate?: GateResult;
  readonly color: boolean;
}

/**
 * The terminal summary, the answer first: a start regression, then size, pull, layers and new findings; then
 * where the bytes went (directories, then paths), waste, config, base and packages; the gate's lines last.
 */
export function diffText(diff: ImageDiff, opts: DiffTextOptions): string {
  const out: string[] = [];
  out.push(`fathom diff: BASE ${diff.base.name} (${diff.base.layers} layers) → HEAD ${diff.head.name} (${diff.head.layers} layers)`);
  const s = diff.start;
  if (s.regression) {
    out.push(`HEAD NO LONGER STARTS (BASE does):`);
    for (const r of s.reasons) out.push(`  ${r.ruleId}: ${r.message}`);
  } else if (s.fixed) {
    out.push('HEAD starts now (BASE did not)');
  }
  const z = diff.sizeBytes;
  out.push(`Size:      ${bytes(z.base)} → ${bytes(z.head)} (${signedBytes(z.delta)}, ${signedPercent(z.delta, z.base)})`);
  out.push(`Pull:      ${bytes(diff.pullBytes)} in ${diff.layers.pullLayers} layer(s) a node holding BASE must download`);
  const l = diff.layers;
  out.push(`Layers:    ${l.shared} shared, ${l.baseOnly.length} only in BASE, ${l.headOnly.length} only in HEAD`);
  for (const r of l.rows) {
    if (r.state === 'shared') continue;
    const mark = r.state === 'head-only' ? '+' : r.state === 'base-only' ? '-' : '=';
    const where = r.head !== undefined ? `HEAD ${r.head}` : `BASE ${r.base}`;
    out.push(`  ${mark} ${where}: ${pad(bytes(r.size), 9)}  ${r.command.slice(0, 100)}${r.state === 'elsewhere' ? ' (the other image has it too)' : ''}`);
  }
  const f = diff.findings;
  out.push(`Findings:  ${f.new.length} new, ${f.fixed.length} fixed, ${f.unchanged.length} unchanged`);
  for (const x of f.new) out.push(`  new    ${x.level.toUpperCase()} ${x.ruleId}: ${x.message}`);
  for (const x of f.fixed) out.push(`  fixed  ${x.ruleId}: ${subjectOf(x) || x.message}`);
  const n = changeCounts(diff);
  out.push(`Files:     ${n.added} added, ${n.removed} removed, ${n.changed} changed, ${n.moved} moved`);
  if (diff.directories.length > 0) {
    out.push('Directories (largest change first):');
    for (const d of diff.directories.slice(0, 10)) out.push(`  ${pad(signedBytes(d.delta), 10)}  ${d.path}  (${d.added} added, ${d.removed} removed, ${d.changed} changed)`);
  }
  if (diff.files.length > 0) {
    out.push('Paths (largest change first):');
    const shown = biggestFirst(diff.files).slice(0, opts.maxPaths);
    for (const c of shown) out.push(`  ${CHANGE_LETTER[c.change]} ${pad(signedBytes(c.sizeHead - c.sizeBase), 10)}  ${c.path}  ${describeChange(c)}`);
    if (shown.length < diff.files.length) out.push(`  … ${diff.files.length - shown.length} more (--expand lists every path, --json writes them all)`);
  }
  const w = diff.waste;
  out.push(
    `Waste:     efficiency ${pct(w.efficiency.base)} → ${pct(w.efficiency.head)}; wasted ${bytes(w.wastedBytes.base)} → ${bytes(w.wastedBytes.head)} (${signedBytes(w.wastedBytes.delta)}); ` +
      `user wasted ${pct(w.userWastedPercent.base)} → ${pct(w.userWastedPercent.head)}; reclaimable ${bytes(w.reclaimableBytes.base)} → ${bytes(w.reclaimableBytes.head)} (${signedBytes(w.reclaimableBytes.delta)})`,
  );
  if (w.introduced.count > 0) {
    out.push(`  HEAD's own layers hide ${bytes(w.introduced.bytes)} in ${w.introduced.count} file(s):`);
    for (const h of w.introduced.files.slice(0, 5)) out.push(`    ${pad(bytes(h.size), 9)}  ${h.path} (layer ${h.writtenBy}, ${h.how} by layer ${h.hiddenBy})`);
  }
  out.push(`Config:    ${diff.config.length === 0 ? 'unchanged' : `${diff.config.length} change(s)`}`);
  for (const c of diff.config) out.push(`  ${describeConfig(c)}`);
  out.push(`Base:      ${diff.baseImage.changed ? 'CHANGED: ' : ''}${diff.baseImage.detail}`);
  const p = diff.packages;
  if (p.base || p.head) {
    const up = p.changed.filter((c) => c.direction === 'upgraded').length;
    out.push(`Packages:  ${p.added.length} added, ${p.removed.length} removed, ${up} upgraded, ${p.changed.length - up} downgraded (${p.baseCount} → ${p.headCount}, ${p.head ?? p.base})`);
    for (const a of p.added.slice(0, 20)) out.push(`  + ${a.name} ${a.version}`);
    for (const r of p.removed.slice(0, 20)) out.push(`  - ${r.name} ${r.version}`);
    for (const c of p.changed.slice(0, 20)) out.push(`  ${c.direction === 'upgraded' ? '↑' : '↓'} ${c.name} ${c.base} → ${c.head}`);
  }
  if (opts.gate) out.push(...resultLines(opts.gate, opts.color));
  return out.join('\n') + '\n';
}
