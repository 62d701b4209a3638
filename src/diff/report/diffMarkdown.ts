import type { GateResult } from '../../ci/check.js';
import { cutNote, fitComment } from '../../report/commentLimit.js';
import type { ImageDiff } from '../imageDiff.js';
import type { DiffFinding } from '../compareFindings.js';
import type { HeadLines } from './diffLines.js';
import { biggestFirst, bytes, CHANGE_LETTER, changeCounts, describeChange, describeConfig, headline, signedBytes, signedPercent, subjectOf } from './diffWords.js';

const CELL = 200;

const cell = (s: string) => {
  const one = s.replace(/\|/g, '\\|').replace(/[\r\n]+/g, ' ').replace(/`/g, "'");
  return one.length > CELL ? one.slice(0, CELL - 1) + '…' : one;
};
const code = (s: string) => `\`${cell(s)}\``;
const pct = (x: number) => `${(x * 100).toFixed(2)} %`;

interface Caps {
  paths: number;
  packages: number;
  findings: number;
  layers: number;
}

/** With HEAD's Dockerfile (new findings only: fixed ones are BASE's), the line each comes from after its subject. */
function findingRows(list: readonly DiffFinding[], cap: number, lines?: HeadLines): string[] {
  const rows = ['| level | rule | where | finding |', '|---|---|---|---|'];
  for (const f of list.slice(0, cap)) {
    const line = lines?.lineOf(f);
    const where = [subjectOf(f) ? code(subjectOf(f)) : '', line !== undefined ? `(${code(`${lines!.dockerfile}:${line}`)})` : ''].filter((x) => x !== '').join(' ');
    rows.push(`| ${f.level} | ${code(f.ruleId)} | ${where} | ${cell(f.message)} |`);
  }
  return rows;
}

function folded(summary: string, body: string[]): string[] {
  return ['<details><summary>' + summary + '</summary>', '', ...body, '', '</details>', ''];
}

function render(diff: ImageDiff, gate: GateResult | undefined, caps: Caps, cut: string[], lines: HeadLines | undefined): string {
  const out: string[] = [];
  const verdict = gate ? (gate.status === 'PASS' ? '✅' : '❌') : diff.start.regression ? '❌' : 'ℹ️';
  out.push(`### ${verdict} fathom diff: ${code(diff.base.name)} → ${code(diff.head.name)}`, '');
  out.push(headline(diff), '');
  if (diff.start.regression) {
    out.push('> [!CAUTION]', '> **HEAD no longer starts** (BASE does):');
    for (const r of diff.start.reasons.slice(0, 5)) out.push(`> ${code(r.ruleId)}: ${cell(r.message)}`);
    out.push('');
  }
  const z = diff.sizeBytes;
  const w = diff.waste;
  out.push('| | BASE | HEAD | Δ |', '|---|---:|---:|---:|');
  out.push(`| size | ${bytes(z.base)} | ${bytes(z.head)} | ${signedBytes(z.delta)} (${signedPercent(z.delta, z.base)}) |`);
  out.push(`| to pull over BASE | | | ${bytes(diff.pullBytes)} (${diff.layers.pullLayers} layer(s)) |`);
  out.push(`| layers | ${diff.base.layers} | ${diff.head.layers} | ${diff.layers.shared} shared |`);
  out.push(`| efficiency | ${pct(w.efficiency.base)} | ${pct(w.efficiency.head)} | ${(w.efficiency.delta * 100).toFixed(2)} pts |`);
  out.push(`| wasted (dive) | ${bytes(w.wastedBytes.base)} | ${bytes(w.wastedBytes.head)} | ${signedBytes(w.wastedBytes.delta)} |`);
  out.push(`| reclaimable | ${bytes(w.reclaimableBytes.base)} | ${bytes(w.reclaimableBytes.head)} | ${signedBytes(w.reclaimableBytes.delta)} |`);
  const f = diff.findings;
  out.push(`| findings | ${f.fixed.length + f.unchanged.length} | ${f.new.length + f.unchanged.length} | ${f.new.length} new · ${f.fixed.length} fixed |`, '');
  if (f.new.length > 0) {
    out.push(`**New findings (${f.new.length})**`, '', ...findingRows(f.new, caps.findings, lines), '');
    if (f.new.length > caps.findings) cut.push(`${f.new.length - caps.findings} new findings`);
  }
  if (f.fixed.length > 0) {
    out.push(...folded(`Fixed findings (${f.fixed.length})`, findingRows(f.fixed, caps.findings)));
    if (f.fixed.length > caps.findings) cut.push(`${f.fixed.length - caps.findings} fixed findings`);
  }
  const n = changeCounts(diff);
  out.push(`**Files**: ${n.added} added · ${n.removed} removed · ${n.changed} changed · ${n.moved} moved`, '');
  if (diff.directories.length > 0) {
    out.push('| Δ size | directory | added | removed | changed |', '|---:|---|---:|---:|---:|');
    for (const d of diff.directories.slice(0, 10)) out.push(`| ${signedBytes(d.delta)} | ${code(d.path)} | ${d.added} | ${d.removed} | ${d.changed} |`);
    out.push('');
  }
  if (diff.files.length > 0) {
    const shown = biggestFirst(diff.files).slice(0, caps.paths);
    const rows = ['| | Δ size | path | change |', '|---|---:|---|---|'];
    for (const c of shown) rows.push(`| ${CHANGE_LETTER[c.change]} | ${signedBytes(c.sizeHead - c.sizeBase)} | ${code(c.path)} | ${cell(describeChange(c))} |`);
    if (shown.length < diff.files.length) cut.push(`${diff.files.length - shown.length} of ${diff.files.length} paths`);
    out.push(...folded(`Paths (${diff.files.length}, largest change first)`, rows));
  }
  const layerRows = ['| | BASE | HEAD | size | stored | command |', '|---|---:|---:|---:|---:|---|'];
  const mark = { shared: '=', 'base-only': '−', 'head-only': '+', elsewhere: '≈' } as const;
  for (const r of diff.layers.rows.slice(0, caps.layers)) {
    layerRows.push(`| ${mark[r.state]} | ${r.base ?? ''} | ${r.head ?? ''} | ${bytes(r.size)} | ${bytes(r.storedSize)} | ${code(r.command.slice(0, 120))} |`);
  }
  if (diff.layers.rows.length > caps.layers) cut.push(`${diff.layers.rows.length - caps.layers} layers`);
  out.push(...folded(`Layers (${diff.layers.shared} shared, ${diff.layers.baseOnly.length} only in BASE, ${diff.layers.headOnly.length} only in HEAD)`, layerRows));
  if (diff.config.length > 0) out.push(...folded(`Config (${diff.config.length} change(s))`, diff.config.slice(0, 100).map((c) => `- ${cell(describeConfig(c))}`)));
  out.push(`**Base image**: ${diff.baseImage.changed ? '**changed**: ' : ''}${cell(diff.baseImage.detail)}`, '');
  const p = diff.packages;
  if (p.base || p.head) {
    const rows = ['| | package | BASE | HEAD |', '|---|---|---|---|'];
    const all = [
      ...p.added.map((a) => `| + | ${code(a.name)} | | ${cell(a.version)} |`),
      ...p.removed.map((r) => `| − | ${code(r.name)} | ${cell(r.version)} | |`),
      ...p.changed.map((c) => `| ${c.direction === 'upgraded' ? '↑' : '↓'} | ${code(c.name)} | ${cell(c.base)} | ${cell(c.head)} |`),
    ];
    rows.push(...all.slice(0, caps.packages));
    if (all.length > caps.packages) cut.push(`${all.length - caps.packages} package changes`);
    out.push(...folded(`Packages (${p.added.length} added, ${p.removed.length} removed, ${p.changed.length} changed)`, rows));
  }
  if (gate) {
    const icon = { FAIL: '❌', WARN: '⚠️', PASS: '✅', SKIP: '⏭️' } as const;
    out.push('| | check | result |', '|---|---|---|');
    for (const c of gate.checks) out.push(`| ${icon[c.status]} | ${code(c.id)} | ${cell(c.message)} |`);
    out.push('');
  }
  if (cut.length > 0) out.push(cutNote(cut, '`fathom diff --json` has everything'));
  return out.join('\n') + '\n';
}

/**
 * A pull-request comment: the verdict and one summary line, the figures table, new findings, where the bytes
 * went, the rest folded. Always under GitHub's comment limit: the longest lists shrink until it fits, and the
 * comment says what was cut.
 */
export function diffMarkdown(diff: ImageDiff, gate?: GateResult, lines?: HeadLines): string {
  const caps: Caps = { paths: 500, packages: 300, findings: 100, layers: 200 };
  return fitComment(
    (cut) => render(diff, gate, caps, cut, lines),
    () => {
      // the paths table is the longest; then packages, findings and layers give way in turn
      if (caps.paths > 10) caps.paths = Math.floor(caps.paths / 2);
      else if (caps.packages > 10) caps.packages = Math.floor(caps.packages / 2);
      else if (caps.findings > 10) caps.findings = Math.floor(caps.findings / 2);
      else if (caps.layers > 10) caps.layers = Math.floor(caps.layers / 2);
      else if (caps.paths > 0) caps.paths = 0;
      else return false;
      return true;
    },
  );
}
