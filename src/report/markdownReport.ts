import prettyBytes from 'pretty-bytes';
import type { Check, CheckLocation } from '../ci/check.js';
import { cutNote, fitComment, shrunk } from './commentLimit.js';
import { cell, code, plural } from './markdownText.js';
import { ruleDocUrl } from './projectLinks.js';
import { dockerfileLineOf, imageName, type ReportContext } from './reportContext.js';

const ICON = { FAIL: '❌', WARN: '⚠️', PASS: '✅', SKIP: '⏭️' } as const;
const pct = (x: number) => (Number.isFinite(x) ? `${(x * 100).toFixed(2)} %` : 'n/a (no user layers)');

/** A threshold's measured value against its limit in words and units, not dive's `%-user-wasted-bytes=…` string. */
function thresholdText(c: Check): string | undefined {
  if (c.value === undefined || c.threshold === undefined) return undefined;
  const fail = c.status === 'FAIL';
  if (c.id === 'lowestEfficiency') return `efficiency ${pct(c.value)} ${fail ? 'is below' : 'meets'} the minimum ${pct(c.threshold)}`;
  if (c.id === 'highestUserWastedPercent') return `wasted bytes are ${pct(c.value)} of the user layers' bytes, ${fail ? 'above' : 'within'} the maximum ${pct(c.threshold)}`;
  if (c.id === 'highestWastedBytes') return `${prettyBytes(c.value)} wasted, ${fail ? 'above' : 'within'} the maximum ${prettyBytes(c.threshold)}`;
  return undefined;
}

const resultText = (c: Check) => thresholdText(c) ?? c.message;

/** A check about the configuration itself (a stale or expired ignore) names the line of the file that says it. */
function resultCell(c: Check): string {
  const at = c.locations.flatMap((l) => (l.source ? [cell(code(`${l.source.file}:${l.source.line}`))] : []));
  return cell(resultText(c)) + (at.length > 0 ? ` (${at.join(', ')})` : '');
}

/** Failed and warning checks in a table, the rest folded with their results. */
function checksTable(checks: readonly Check[]): string[] {
  const out: string[] = [];
  const loud = checks.filter((c) => c.status === 'FAIL' || c.status === 'WARN').sort((a, b) => (a.status === b.status ? 0 : a.status === 'FAIL' ? -1 : 1));
  if (loud.length > 0) {
    out.push('| | check | result |', '|---|---|---|');
    for (const c of loud) out.push(`| ${ICON[c.status]} | [${code(c.id)}](${ruleDocUrl(c.id)}) | ${resultCell(c)} |`);
    out.push('');
  }
  const quiet = checks.filter((c) => c.status === 'PASS' || c.status === 'SKIP');
  if (quiet.length > 0) {
    out.push(`<details><summary>${plural(quiet.filter((c) => c.status === 'PASS').length, 'passed check')}, ${quiet.filter((c) => c.status === 'SKIP').length} skipped</summary>`, '');
    out.push('| | check | result |', '|---|---|---|');
    for (const c of quiet) out.push(`| ${ICON[c.status]} | [${code(c.id)}](${ruleDocUrl(c.id)}) | ${cell(resultText(c))} |`);
    out.push('', '</details>', '');
  }
  return out;
}

/** How much of each long list the comment shows (every list whole unless it would pass GitHub's limit). */
interface Caps {
  findings: number;
  layers: number;
  inefficient: number;
}

/**
 * Every finding (the first `cap` of them, in the order of the checks), grouped by rule, each rule's heading linking
 * to its documentation and counting all of its findings.
 */
function findingsByRule(checks: readonly Check[], cap: number, lineOf: ((l: CheckLocation) => number | undefined) | undefined, dockerfile: string | undefined): string[] {
  const out: string[] = [];
  let left = cap;
  for (const c of checks) {
    const found = c.locations.filter((l) => l.message !== undefined);
    if (found.length === 0 || left <= 0) continue;
    out.push(`**${ICON[c.status]} [${c.id}](${ruleDocUrl(c.id)})** — ${c.title} (${plural(found.length, 'finding')})`, '');
    for (const l of found.slice(0, left)) {
      const line = lineOf?.(l);
      const at = line !== undefined && dockerfile !== undefined ? ` (${code(`${dockerfile}:${line}`)})` : '';
      out.push(`- ${code(l.path ?? l.configField ?? '')}${at}: ${l.message!.replace(/\r?\n/g, ' ')}${l.fix ? ` — fix: ${l.fix.replace(/\r?\n/g, ' ')}` : ''}`);
    }
    left -= found.length;
    out.push('');
  }
  return out;
}

const findingCount = (checks: readonly Check[]) => checks.reduce((n, c) => n + c.locations.filter((l) => l.message !== undefined).length, 0);

/** The verdict, the one summary line and the checks: what the comment always keeps. */
function head(ctx: ReportContext): string[] {
  const { analysis: a, gate } = ctx;
  const t = gate.tally;
  return [
    `### ${gate.status === 'PASS' ? '✅' : '❌'} fathom: ${code(imageName(ctx.image))} ${gate.status === 'PASS' ? 'passed' : 'failed'}`,
    '',
    `${plural(t.fail, 'failed check')} · ${plural(t.warn, 'warning')} · ${t.pass} passed · ${t.skip} skipped — ${prettyBytes(a.sizeBytes)}, efficiency ${pct(a.efficiency)}, ${prettyBytes(a.wastedBytes)} wasted, ${prettyBytes(a.reclaimableBytes)} reclaimable`,
    '',
    ...checksTable(gate.checks),
  ];
}

/** The waste below the findings: the largest hidden files, the layers and dive's inefficient files (folded). */
function waste(ctx: ReportContext, caps: Caps): string[] {
  const a = ctx.analysis;
  const out: string[] = [];
  if (a.hidden.length > 0) {
    out.push('**Largest wasted files** (bytes shipped in a layer but not visible in the final image)', '');
    out.push('| size | path | written by layer | hidden by layer | how |', '|---:|---|---:|---:|---|');
    for (const h of a.hidden.slice(0, 10)) out.push(`| ${prettyBytes(h.size)} | ${cell(code(h.path))} | ${h.writtenBy} | ${h.hiddenBy} | ${h.how} |`);
    if (a.hidden.length > 10) out.push('', `The ${a.hidden.length - 10} smaller ones are in the JSON report (\`--report json=FILE\`).`);
    out.push('');
  }
  out.push('<details><summary>Layers</summary>', '', '| # | size | command |', '|---:|---:|---|');
  for (const l of ctx.image.layers.slice(0, caps.layers)) out.push(`| ${l.index} | ${prettyBytes(l.size)} | ${cell(code(l.command))} |`);
  out.push('', '</details>');
  if (a.inefficient.length > 0 && caps.inefficient > 0) {
    out.push('', "<details><summary>Inefficient files (dive's list)</summary>", '', '| count | wasted | path |', '|---:|---:|---|');
    for (const f of a.inefficient.slice(0, caps.inefficient)) out.push(`| ${f.count} | ${prettyBytes(f.cumulativeSize)} | ${cell(code(f.path))} |`);
    out.push('', '</details>');
  }
  return out;
}

function render(ctx: ReportContext, caps: Caps, cut: string[], lineOf: ((l: CheckLocation) => number | undefined) | undefined): string {
  const { analysis: a, gate } = ctx;
  const out = [...head(ctx), ...findingsByRule(gate.checks, caps.findings, lineOf, ctx.dockerfile?.path), ...waste(ctx, caps)];
  const findings = findingCount(gate.checks);
  if (findings > caps.findings) cut.push(`the last ${findings - caps.findings} of ${findings} findings`);
  if (ctx.image.layers.length > caps.layers) cut.push(`${ctx.image.layers.length - caps.layers} of ${ctx.image.layers.length} layers`);
  if (a.inefficient.length > caps.inefficient) cut.push(`${a.inefficient.length - caps.inefficient} of ${a.inefficient.length} inefficient files`);
  if (cut.length > 0) out.push('', cutNote(cut, 'the other reports list everything (`--report json=FILE`, `sarif=`, `gitlab=`, `junit=`)'));
  return out.join('\n') + '\n';
}

/**
 * A pull-request comment: the verdict and one summary line first; failing and warning checks in a table, passes
 * folded; every finding grouped by rule with links to the rule's docs; then the biggest waste and the layers.
 * Under GitHub's comment limit, as the diff's: dive's folded list of inefficient files gives way first, then the
 * findings from the end, then the layers; the verdict, the summary and the checks always stay, and a note says
 * what was cut and where the rest is.
 */
export function markdownReport(ctx: ReportContext): string {
  const caps: Caps = { findings: findingCount(ctx.gate.checks), layers: ctx.image.layers.length, inefficient: ctx.analysis.inefficient.length };
  const lineOf = dockerfileLineOf(ctx);
  return fitComment(
    (cut) => render(ctx, caps, cut, lineOf),
    (length) => {
      if (caps.inefficient > 0) caps.inefficient = shrunk(caps.inefficient, length);
      else if (caps.findings > 0) caps.findings = shrunk(caps.findings, length);
      else if (caps.layers > 0) caps.layers = shrunk(caps.layers, length);
      else return false;
      return true;
    },
  );
}
