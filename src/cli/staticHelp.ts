import { readFileSync } from 'node:fs';

/**
 * `fathom --help` without yargs. Loading yargs and laying the help out (cliui, y18n, the option tables) costs more
 * than node's own start-up, and the text depends on nothing but the width and the language it is laid out for.
 * scripts/bundleCli.mjs runs the bundled CLI once with `--help` after bundling (stdout a pipe: yargs' width is 80;
 * no locale set: English) and writes what yargs printed next to it; this answers with that text when yargs would lay
 * out the same, and otherwise (another width or language, any other argument) returns undefined: yargs answers.
 */
export const HELP_FILE = 'help.txt';
/** yargs' width: min(80, the terminal's columns), 80 when stdout is no terminal (usage.js, windowWidth). */
export const HELP_WIDTH = 80;

/** The locale as yargs guesses it (yargs-factory.js, kGuessLocale), before y18n picks its strings file. */
function yargsLocale(env: NodeJS.ProcessEnv): string {
  const locale = env['LC_ALL'] || env['LC_MESSAGES'] || env['LANG'] || env['LANGUAGE'] || 'en_US';
  return locale.replace(/[.:].*/, '');
}

/**
 * English: y18n reads `en_XX.json`, finds none and falls back to en.json; C and POSIX find no file and use the
 * strings themselves, which en.json repeats (test/cli/startup.test.ts compares each with yargs' own).
 */
const ENGLISH = /^(en(_[A-Za-z]+)?|C|POSIX)$/;

export function staticHelp(argv: readonly string[], columns: number | undefined, env: NodeJS.ProcessEnv, dir: URL): string | undefined {
  if (argv.length !== 1 || (argv[0] !== '--help' && argv[0] !== '-h')) return undefined;
  if (env['YARGS_DISABLE_WRAP'] || (columns !== undefined && columns < HELP_WIDTH)) return undefined;
  if (!ENGLISH.test(yargsLocale(env))) return undefined;
  try {
    return readFileSync(new URL(HELP_FILE, dir), 'utf8');
  } catch {
    // not bundled (tsc's output run directly): no rendered text beside this module
    return undefined;
  }
}
