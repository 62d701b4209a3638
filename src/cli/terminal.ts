import { openSync } from 'node:fs';
import { ReadStream } from 'node:tty';

/**
 * Where keys come from: stdin when it is a terminal; when the archive arrives on stdin (`-`), the controlling
 * terminal /dev/tty. Undefined when there is no terminal to read keys from (then the text report is printed).
 */
export function keyboard(archiveOnStdin: boolean): NodeJS.ReadStream | undefined {
  if (!process.stdout.isTTY) return undefined;
  if (!archiveOnStdin && process.stdin.isTTY) return process.stdin;
  try {
    return new ReadStream(openSync('/dev/tty', 'r')) as unknown as NodeJS.ReadStream;
  } catch {
    return undefined;
  }
}
