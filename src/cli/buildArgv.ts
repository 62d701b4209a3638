import { ConfigError } from '../errors.js';

/** fathom's own options for `fathom build` (the analysis options and --engine): name → takes a value. */
const FATHOM_OPTIONS: ReadonlyMap<string, boolean> = new Map([
  ...['source', 'username', 'ca-file', 'json', 'j', 'platform', 'image', 'ci-config', 'lowestEfficiency', 'highestWastedBytes', 'highestUserWastedPercent', 'format', 'output', 'report', 'dockerfile', 'base', 'fail-on', 'ignore', 'engine'].map((n) => [n, true] as const),
  ...['ci', 'pull', 'password-stdin', 'insecure', 'only-user-layers', 'fail', 'no-fail', 'help', 'h', 'version', 'v'].map((n) => [n, false] as const),
]);

/** Options docker build or podman build also has: without `--` nobody can tell whose they are. */
const AMBIGUOUS = new Set(['platform', 'pull', 'output', 'format']);

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
    if (AMBIGUOUS.has(name)) {
      throw new ConfigError(`fathom build: ${a} is an option of both fathom and the build; put the build's arguments after --: fathom build [options] -- BUILD-ARGS`);
    }
    ours.push(a);
    if (takesValue && !a.includes('=') && i + 1 < argv.length) ours.push(argv[++i]!);
  }
  return build.length > 0 ? ['build', ...ours, '--', ...build] : ['build', ...ours];
}
