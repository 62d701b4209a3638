/**
 * fathom's own pages, linked from SARIF (`informationUri`, each rule's `helpUri`), the markdown comment and
 * `fathom rules ID`. The same address as package.json's `repository` (a test keeps them equal).
 */
export const FATHOM_REPOSITORY = 'https://github.com/fathom-cli/fathom';

/** The rule's documentation page, generated from its meta into docs/rules/ID.md. */
export function ruleDocUrl(id: string): string {
  return `${FATHOM_REPOSITORY}/blob/main/docs/rules/${id}.md`;
}
