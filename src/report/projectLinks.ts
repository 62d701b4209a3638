// package.json is the one place fathom's address is written: its `homepage` (and `repository`, which a test keeps
// equal); tsc and the CLI's bundle take it in at build time, so nothing reads the file when a report is written
import pkg from '../../package.json' with { type: 'json' };

/** fathom's own pages, linked from SARIF (`informationUri`, each rule's `helpUri`), the markdown comment and `fathom rules ID`. */
export const FATHOM_REPOSITORY: string = pkg.homepage.replace(/\/+$/, '');

/** The rule's documentation page, generated from its meta into docs/rules/ID.md. */
export function ruleDocUrl(id: string): string {
  return `${FATHOM_REPOSITORY}/blob/main/docs/rules/${id}.md`;
}
