import { GATE_CHECKS } from '../ci/checkMeta.js';
import { RULES } from '../../rules/index.js';
import { ruleMarkdown } from './ruleDoc.js';

/** docs/rules/: one page per check (the rules, dive's thresholds, the ignore and diff checks) and an index. */
export function ruleDocFiles(): Map<string, string> {
  const metas = [...RULES.map((r) => r.meta), ...GATE_CHECKS];
  const files = new Map<string, string>();
  for (const m of metas) files.set(`${m.id}.md`, ruleMarkdown(m));
  const index = [
    '# fathom checks',
    '',
    'Generated from each check\'s meta by `npm run docs:rules`; a test keeps these pages equal to the meta.',
    '',
    '| check | default | what it finds |',
    '|---|---|---|',
    ...metas.map((m) => `| [\`${m.id}\`](${m.id}.md) | ${m.severity} | ${m.title} |`),
    '',
  ];
  files.set('README.md', index.join('\n'));
  return files;
}
