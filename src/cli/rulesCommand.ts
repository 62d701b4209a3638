import { RULES } from '../../rules/index.js';
import { ruleDocUrl } from '../report/projectLinks.js';

/** `fathom rules` lists the rules; `fathom rules ID` prints one rule's documentation. */
export function runRulesCommand(id: string | undefined): number {
  if (!id) {
    const w = Math.max(...RULES.map((r) => r.meta.id.length));
    for (const r of RULES) process.stdout.write(`${r.meta.id.padEnd(w)}  ${r.meta.severity.padEnd(5)}  ${r.meta.title}\n`);
    return 0;
  }
  const rule = RULES.find((r) => r.meta.id === id);
  if (!rule) {
    process.stderr.write(`fathom: unknown rule ${id}; known: ${RULES.map((r) => r.meta.id).join(', ')}\n`);
    return 2;
  }
  const m = rule.meta;
  process.stdout.write(`${m.id} (${m.severity}): ${m.title}\n\n${m.docs}\n`);
  if (m.related.length > 0) process.stdout.write(`\nRelated: ${m.related.join(', ')}\n`);
  process.stdout.write(`\nConfigure in .dive-ci:\n  rules:\n    ${m.id}: error|warn|info|off\n\nDocs: ${ruleDocUrl(m.id)}\n`);
  return 0;
}
