import { diveBytes } from '../report/humanBytes.js';
import type { KeptPath } from './closure.js';
import { whyKept, type StripPlan } from './plan.js';

const count = (n: number) => n.toLocaleString('en-US');
const sizeOf = (k: KeptPath) => (k.entry?.kind === 'file' ? k.entry.size : 0);
/** `made dir`, `made file`: what strip makes because the image lacks it (a placeholder, a declared directory). */
const kindOf = (k: KeptPath) => k.entry?.kind ?? `made ${k.made?.kind ?? 'file'}`;

/** The summary line: `88 MB → 9.8 MB, 3,992 files → 22`. */
export function totalsLine(plan: StripPlan): string {
  const t = plan.totals;
  return `${diveBytes(t.beforeBytes)} → ${diveBytes(t.afterBytes)}, ${count(t.beforeFiles)} files → ${count(t.afterFiles)}`;
}

/** What the terminal shows: the summary, the profiles, the biggest kept and dropped items, and any refusal. */
export function planSummary(plan: StripPlan, source: string, top = 8): string {
  const lines = [`${source}: ${totalsLine(plan)}`, `roots: ${plan.roots.join(', ') || '(none)'}`];
  for (const p of plan.profiles) {
    const state = p.on ? `on — ${p.evidence}; kept ${p.added.length} paths` : p.disabled ? `off (--no-${p.name}) — ${p.evidence}` : `off — ${p.evidence}`;
    lines.push(`profile ${p.name}: ${state}`);
    for (const n of p.notes) lines.push(`  note: ${n}`);
  }
  lines.push(...maybeNeededLines(plan));
  const biggest = [...plan.kept].sort((a, b) => sizeOf(b) - sizeOf(a)).slice(0, top).filter((k) => sizeOf(k) > 0);
  if (biggest.length > 0) lines.push('biggest kept:', ...biggest.map((k) => `  ${diveBytes(sizeOf(k)).padStart(8)}  ${whyKept(plan, k.path)!.join(' ← ')}`));
  if (plan.dropped.length > 0) lines.push('biggest dropped:', ...plan.dropped.slice(0, top).map((d) => `  ${diveBytes(d.size).padStart(8)}  ${d.path}`));
  for (const r of plan.refusals) lines.push(`refused: ${r}`);
  return lines.join('\n') + '\n';
}

/** The library names kept files hold as strings (a dlopen's): kept with --keep-dlopen, or listed as maybe needed. */
function maybeNeededLines(plan: StripPlan): string[] {
  if (plan.maybeNeeded.length === 0) return [];
  const kept = plan.maybeNeeded.some((m) => m.kept);
  const head = kept ? 'kept by --keep-dlopen (library names found as strings, what a dlopen opens):' : 'maybe needed (library names found as strings, what a dlopen opens; --keep-dlopen keeps them):';
  return [head, ...plan.maybeNeeded.map((m) => `  ${m.name} ${m.path ? `→ ${m.path}` : '(not in the image)'}, named by ${m.by}`)];
}

/** `--plan`: every kept path with its kind, size and whole reason chain. */
export function planListing(plan: StripPlan): string {
  return plan.kept.map((k) => `${kindOf(k).padEnd(9)} ${diveBytes(sizeOf(k)).padStart(8)}  ${whyKept(plan, k.path)!.join(' ← ')}`).join('\n') + '\n';
}

/** `--json FILE`: the plan whole. */
export function planJson(plan: StripPlan, source: string, output?: { file: string; id: string; diffId: string }): unknown {
  return {
    source,
    totals: plan.totals,
    roots: plan.roots,
    refusals: plan.refusals,
    profiles: plan.profiles,
    maybeNeeded: plan.maybeNeeded,
    kept: plan.kept.map((k) => ({ path: k.path, kind: k.entry?.kind ?? k.made?.kind, made: k.entry === undefined, size: sizeOf(k), mode: k.entry?.mode ?? k.made?.mode, reason: k.reason, ...(k.by ? { by: k.by } : {}), chain: whyKept(plan, k.path) })),
    dropped: plan.dropped,
    ...(output ? { output } : {}),
  };
}
