import type { CheckMeta } from '../ci/checkMeta.js';

const SEVERITY = { error: 'error (fails the gate)', warn: 'warning', info: 'info (reported, never fails)' } as const;

/**
 * A check's documentation as markdown, from its meta alone (eslint's way): docs/rules/ID.md, SARIF's
 * `help.markdown` and `fathom rules ID` are this same text.
 */
export function ruleMarkdown(m: CheckMeta): string {
  const lines = [`# ${m.id}: ${m.title}`, '', m.docs, '', `- Default level: ${SEVERITY[m.severity]}`];
  if (m.tags.length > 0) lines.push(`- Tags: ${m.tags.map((t) => `\`${t}\``).join(', ')}`);
  if (m.securitySeverity !== undefined) lines.push(`- Security severity: ${m.securitySeverity.toFixed(1)} (GitHub code scanning ranks alerts by it)`);
  lines.push(`- Precision: ${m.precision}`);
  if (m.related.length > 0) lines.push(`- The same check elsewhere: ${m.related.join('; ')}`);
  if (m.configuration !== undefined) lines.push('', 'In `.dive-ci`:', '', '```yaml', m.configuration, '```', '');
  else lines.push('', 'Turn it off or change its level in `.dive-ci`:', '', '```yaml', 'rules:', `  ${m.id}: off   # or error, warn, info`, '```', '');
  return lines.join('\n');
}
