import { ConfigError } from '../errors.js';

/** fathom's own options for `fathom build` (the analysis options and --engine): name → takes a value. */
const FATHOM_OPTIONS: ReadonlyMap<string, boolean> = new Map([
  ...['source', 'username', 'ca-file', 'json', 'j', 'platform', 'image', 'ci-config', 'lowestEfficiency', 'highestWastedBytes', 'highestUserWastedPercent', 'format', 'output', 'report', 'dockerfile', 'base', 'fail-on', 'ignore', 'engine'].map((n) => [n, true] as const),
  ...['ci', 'pull', 'password-stdin', 'insecure', 'only-user-layers', 'fail', 'no-fail', 'help', 'h', 'version', 'v'].map((n) => [n, false] as const),
]);

/**
 * Options docker build or podman build also has: without `--` nobody can tell whose they are (podman build's -v is
 * --volume, fathom's is --version). No rule tells them apart safely: --platform and --pull make sense on both sides,
 * and --output/--format change what is written, so the error shows both ways to write the command.
 */
const AMBIGUOUS = new Set(['platform', 'pull', 'output', 'format', 'v']);

const nameOf = (arg: string) => arg.replace(/^--?/, '').split('=')[0]!;

/**
 * `fathom build -t app .` without `--`: fathom's options are taken by name, everything else goes to the build.
 * An option both have (--platform, --pull, --output, --format) is refused: put the build's arguments after `--`.
 * With `--` the arguments are left as they are.
 */
export function splitBuildArgv(argv: readonly string[]): string[] {
  if (argv[0] !== 'build' || argv.includes('--')) return [...argv];
  const ours: string[] = [];
  const build: string[] = [];
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i]!;
    const name = a.startsWith('-') ? nameOf(a) : undefined;
    const takesValue = name !== undefined ? FATHOM_OPTIONS.get(name) : undefined;
    if (name === undefined || takesValue === undefined) {
      build.push(a);
      continue;
    }
    if (AMBIGUOUS.has(name)) throw ambiguous(argv, i, takesValue && !a.includes('=') ? 2 : 1);
    ours.push(a);
    if (takesValue && !a.includes('=') && i + 1 < argv.length) ours.push(argv[++i]!);
  }
  return build.length > 0 ? ['build', ...ours, '--', ...build] : ['build', ...ours];
}

const shell = (args: readonly string[]) => args.map((x) => (/^[\w@%+=:,./-]+$/.test(x) ? x : `'${x.replace(/'/g, `'\\''`)}'`)).join(' ');

/** The option both have, and the command written both ways: as fathom's, and as the build's (in its place). */
function ambiguous(argv: readonly string[], at: number, width: number): ConfigError {
  const fathoms: string[] = [];
  const builds: string[] = [];
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i]!;
    if (i === at) {
      builds.push(...argv.slice(i, i + width));
      i += width - 1;
      continue;
    }
    const name = a.startsWith('-') ? nameOf(a) : undefined;
    const takesValue = name !== undefined && !AMBIGUOUS.has(name) ? FATHOM_OPTIONS.get(name) : undefined;
    if (takesValue === undefined) builds.push(a);
    else fathoms.push(...argv.slice(i, takesValue && !a.includes('=') ? ++i + 1 : i + 1));
  }
  const option = argv.slice(at, at + width);
  const withoutIt = [...builds.slice(0, builds.indexOf(option[0]!)), ...builds.slice(builds.indexOf(option[0]!) + width)];
  return new ConfigError(
    `fathom build: ${option[0]} is an option of both fathom and the build; say whose with --: ` +
      `fathom's: fathom build ${shell([...fathoms, ...option])} -- ${shell(withoutIt)}; ` +
      `the build's: fathom build ${shell([...fathoms, '--', ...builds])}`,
  );
}
