import { openSync } from 'node:fs';
import { ReadStream } from 'node:tty';
import { keyBindingsFrom, type KeyBindings } from '../../ui/model/keys.js';
import { ConfigError } from '../errors.js';

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

/** Key bindings from a `fathom` config (`.fathomrc*`, `fathom.config.*`, or a "fathom" key in package.json). */
export async function loadKeyBindings(cwd: string): Promise<KeyBindings> {
  // loaded for the browser only: a review without one never needs it
  const c = await import('cosmiconfig');
  // CommonJS: node's loader names its exports, esbuild's bundle has them as the default only
  const cosmiconfig = c.cosmiconfig ?? c.default.cosmiconfig;
  const found = await cosmiconfig('fathom').search(cwd);
  const keys = (found?.config as { keys?: unknown } | undefined)?.keys;
  try {
    return keyBindingsFrom(keys);
  } catch (err) {
    throw new ConfigError(`${found?.filepath ?? 'fathom config'}: ${(err as Error).message}`);
  }
}
