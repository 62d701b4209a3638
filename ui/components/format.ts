import prettyBytes from 'pretty-bytes';
import type { FileEntry } from '../../src/model/entryTypes.js';
import type { Mark } from '../model/fileTree.js';

export const bytes = (n: number) => prettyBytes(n);

const KIND_CHAR: Record<FileEntry['kind'], string> = { file: '-', dir: 'd', symlink: 'l', hardlink: 'h', char: 'c', block: 'b', fifo: 'p' };

/** `-rwxr-sr-x` from the kind and the mode bits, set-id and sticky included. */
export function modeString(e: FileEntry | undefined): string {
  if (!e) return '----------';
  const m = e.mode;
  const bit = (mask: number, ch: string) => ((m & mask) !== 0 ? ch : '-');
  const exec = (x: number, special: number, on: string, off: string) => ((m & special) !== 0 ? ((m & x) !== 0 ? on : off) : bit(x, 'x'));
  return (
    KIND_CHAR[e.kind] +
    bit(0o400, 'r') + bit(0o200, 'w') + exec(0o100, 0o4000, 's', 'S') +
    bit(0o040, 'r') + bit(0o020, 'w') + exec(0o010, 0o2000, 's', 'S') +
    bit(0o004, 'r') + bit(0o002, 'w') + exec(0o001, 0o1000, 't', 'T')
  );
}

/** A letter per mark, so the tree reads without colour too. */
export const MARK_LETTER: Record<Mark, string> = { added: 'A', modified: 'M', removed: 'R', unmodified: ' ' };
export const MARK_COLOR: Record<Mark, string | undefined> = { added: 'green', modified: 'yellow', removed: 'red', unmodified: undefined };

export function truncate(s: string, width: number): string {
  if (width <= 0) return '';
  return s.length > width ? s.slice(0, Math.max(0, width - 1)) + '…' : s;
}
