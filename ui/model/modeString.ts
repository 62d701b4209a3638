import type { FileKind } from '../../src/model/kinds.js';

const KIND_CHAR: Record<FileKind, string> = { file: '-', dir: 'd', symlink: 'l', hardlink: 'h', char: 'c', block: 'b', fifo: 'p' };

/** `-rwxr-sr-x` from the kind and the mode bits, set-id and sticky included. */
export function modeString(kind: FileKind, m: number): string {
  const bit = (mask: number, ch: string) => ((m & mask) !== 0 ? ch : '-');
  const exec = (x: number, special: number, on: string, off: string) => ((m & special) !== 0 ? ((m & x) !== 0 ? on : off) : bit(x, 'x'));
  return (
    KIND_CHAR[kind] +
    bit(0o400, 'r') + bit(0o200, 'w') + exec(0o100, 0o4000, 's', 'S') +
    bit(0o040, 'r') + bit(0o020, 'w') + exec(0o010, 0o2000, 's', 'S') +
    bit(0o004, 'r') + bit(0o002, 'w') + exec(0o001, 0o1000, 't', 'T')
  );
}
