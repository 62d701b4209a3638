import prettyBytes from 'pretty-bytes';
import type { FileEntry } from '../../src/model/entryTypes.js';
import type { Mark } from '../model/fileTree.js';
import type { Row } from '../model/treeView.js';
import { modeString as modeOf } from '../model/modeString.js';

export const bytes = (n: number) => prettyBytes(n);

/** `-rwxr-sr-x` for an entry; dashes for none. */
export function modeString(e: FileEntry | undefined): string {
  return e ? modeOf(e.kind, e.mode) : '----------';
}

/** A letter per mark, so the tree reads without colour too: X added and removed again, = rewritten identically. */
export const MARK_LETTER: Record<Mark, string> = { added: 'A', modified: 'M', removed: 'R', unmodified: ' ', transient: 'X', rewritten: '=' };
export const MARK_COLOR: Record<Mark, string | undefined> = { added: 'green', modified: 'yellow', removed: 'red', unmodified: undefined, transient: 'magenta', rewritten: 'cyan' };

export function truncate(s: string, width: number): string {
  if (width <= 0) return '';
  return s.length > width ? s.slice(0, Math.max(0, width - 1)) + '…' : s;
}

/**
 * What stands before a row's name: its indentation and fold mark, or with guide lines dive's branches — `│   ` under
 * an ancestor with siblings after it, `    ` under a last one, then `├─`/`└─` and `─ ` (`⊕ ` when folded).
 */
export function treePrefix(r: Row, guideLines: boolean): string {
  const folded = r.hasChildren && r.collapsed;
  if (!guideLines) return '  '.repeat(r.depth) + (folded ? '⊕ ' : '');
  const outer = r.last.slice(0, -1).map((last) => (last ? '    ' : '│   ')).join('');
  return `${outer}${r.last.at(-1) ? '└─' : '├─'}${folded ? '⊕ ' : '─ '}`;
}
