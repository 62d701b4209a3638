import prettyBytes from 'pretty-bytes';
import type { Check } from '../ci/check.js';
import { percent } from './textReport.js';
import { imageName, type ReportContext } from './reportContext.js';

const ICON = { FAIL: '❌', WARN: '⚠️', PASS: '✅', SKIP: '⏭️' } as const;
const ORDER = { FAIL: 0, WARN: 1, PASS: 2, SKIP: 3 } as const;

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** A pull-request comment: verdict and figures up top, failed checks first, the biggest waste, details folded. */
export function markdownReport(ctx: ReportContext): string {
  const { analysis: a, gate } = ctx;
  const t = gate.tally;
  const out: string[] = [];
  out.push(`### ${gate.status === 'PASS' ? '✅' : '❌'} fathom: \`${cell(imageName(ctx.image))}\` ${gate.status === 'PASS' ? 'passed' : 'failed'}`);
  out.push('');
  out.push(`${t.fail} failed · ${t.warn} warnings · ${t.pass} passed · ${t.skip} skipped`);
  out.push('');
  out.push('| image size | efficiency | wasted (dive) | user wasted | reclaimable |');
  out.push('|---:|---:|---:|---:|---:|');
  out.push(`| ${prettyBytes(a.sizeBytes)} | ${percent(a.efficiency)} | ${prettyBytes(a.wastedBytes)} | ${percent(a.userWastedPercent)} | ${prettyBytes(a.reclaimableBytes)} |`);
  out.push('');
  const sorted = [...gate.checks].sort((x: Check, y: Check) => ORDER[x.status] - ORDER[y.status]);
  out.push('| | check | result |');
  out.push('|---|---|---|');
  for (const c of sorted) out.push(`| ${ICON[c.status]} | \`${c.id}\` | ${cell(c.message)} |`);
  out.push('');
  if (a.hidden.length > 0) {
    out.push('**Largest wasted files** (bytes shipped in a layer but not visible in the final image)');
    out.push('');
    out.push('| size | path | written by layer | hidden by layer | how |');
    out.push('|---:|---|---:|---:|---|');
    for (const h of a.hidden.slice(0, 10)) out.push(`| ${prettyBytes(h.size)} | \`${cell(h.path)}\` | ${h.writtenBy} | ${h.hiddenBy} | ${h.how} |`);
    out.push('');
  }
  out.push('<details><summary>Layers</summary>');
  out.push('');
  out.push('| # | size | command |');
  out.push('|---:|---:|---|');
  for (const l of ctx.image.layers) out.push(`| ${l.index} | ${prettyBytes(l.size)} | \`${cell(l.command.slice(0, 120))}\` |`);
  out.push('');
  out.push('</details>');
  if (a.inefficient.length > 0) {
    out.push('');
    out.push("<details><summary>Inefficient files (dive's list)</summary>");
    out.push('');
    out.push('| count | wasted | path |');
    out.push('|---:|---:|---|');
    for (const f of a.inefficient.slice(0, 50)) out.push(`| ${f.count} | ${prettyBytes(f.cumulativeSize)} | \`${cell(f.path)}\` |`);
    out.push('');
    out.push('</details>');
  }
  return out.join('\n') + '\n';
}
