/** What a markdown report needs to put arbitrary text (paths, commands, messages) into a comment safely. */

/**
 * A code span that survives the backticks inside it: fenced by one more backtick than the longest run in the
 * text, padded with a space when the text starts or ends with one (CommonMark 6.1). Newlines become spaces.
 */
export function code(s: string): string {
  const text = s.replace(/\r?\n/g, ' ');
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') || (text.startsWith(' ') && text.endsWith(' ') && text.trim() !== '') ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

/** A table cell: `|` escaped (GitHub honours `\|` inside code spans in tables too), one line. */
export const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');

/** `1 warning`, `2 warnings`. */
export const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
