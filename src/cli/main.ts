#!/usr/bin/env node
import type { Argv } from 'yargs';
import { ConfigError, InputError } from '../errors.js';
import type { AnalyzeArgs } from './analyzeCommand.js';
import type { BuildArgs } from './buildCommand.js';
import type { DiffArgs } from './diffCommand.js';
import { splitBuildArgv } from './buildArgv.js';
import { staticHelp } from './staticHelp.js';
import { fathomVersion } from './version.js';
import type { StripArgs } from './stripCommand.js';
import { stripOptions } from './stripOptions.js';

/** Exit codes: 0 pass, 1 a check failed, 2 unusable input, configuration or usage. */
export const EXIT_INPUT = 2;

function fail(message: string): never {
  process.stderr.write(`fathom: ${message.replace(/\s*\n\s*/g, ' ')}\n`);
  process.exit(EXIT_INPUT);
}

/** Where images come from: engines, registries and their credentials (`fathom IMAGE`, `build` and `diff`). */
function sourceOptions<T>(y: Argv<T>) {
  return y
    .option('source', { type: 'string', describe: 'docker|podman|docker-archive|oci-archive|oci-dir|registry (default: a path if it exists, else docker)' })
    .option('pull', { type: 'boolean', describe: 'pull the image through the engine when it is not present locally' })
    .option('username', { type: 'string', describe: 'registry user (with --password-stdin); else docker/podman login files and credential helpers' })
    .option('password-stdin', { type: 'boolean', describe: 'read the registry password or token from stdin' })
    .option('insecure', { type: 'boolean', describe: 'registry: allow plain HTTP and unverified TLS (loopback registries may use HTTP without it)' })
    .option('ca-file', { type: 'string', describe: 'registry: PEM file of CA certificates to trust besides the system ones (also SSL_CERT_FILE)' });
}

/** How the gate decides the exit code and which rules run: `fathom IMAGE`, `build` and `diff`. */
function gateOptions<T>(y: Argv<T>) {
  return y
    .option('fail-on', { type: 'string', describe: 'CI: error (default: a failed check exits 1), warn (a warning too) or never' })
    .option('fail', { type: 'boolean', describe: 'CI: --no-fail reports and exits 0 whatever the checks say (a report-only job)' })
    .option('ignore', { type: 'string', array: true, describe: "RULE, repeatable: turn an image rule off (or disable one of dive's thresholds) for this run" });
}

/** How the layer browser opens: `fathom IMAGE`, `build` and `diff`. */
function browserOptions<T>(y: Argv<T>) {
  return y
    .option('config', { type: 'string', describe: "browser: dive's config file (default: $DIVE_CONFIG, $XDG_CONFIG_HOME/dive/*.yaml, ~/.config/dive/*.yaml, ~/.dive.yaml)" })
    .option('dive-ui', { type: 'boolean', describe: "browser: dive's look (sorted by name, attributes shown)" });
}

/** The options of an analysis, shared by `fathom IMAGE` and `fathom build`. */
function analyzeOptions<T>(y: Argv<T>) {
  return browserOptions(gateOptions(sourceOptions(y)))
    .option('json', { alias: 'j', type: 'string', describe: "write dive's JSON export (plus fathom's fields and the gate) to FILE; no browser" })
    .option('platform', { type: 'string', describe: 'os/arch[/variant] to pick from a multi-platform index' })
    .option('image', { type: 'string', describe: 'NAME[:TAG] or number of the image in a multi-image archive' })
    .option('ci', { type: 'boolean', describe: 'run as a CI gate (also when CI=true)' })
    .option('ci-config', { type: 'string', describe: 'the .dive-ci file to use (default: searched from the working directory up)' })
    .option('lowestEfficiency', { type: 'string', describe: 'CI: fail below this efficiency (0..1)' })
    .option('highestWastedBytes', { type: 'string', describe: 'CI: fail above this many wasted bytes (e.g. 20MB, 20MiB, disabled)' })
    .option('highestUserWastedPercent', { type: 'string', describe: 'CI: fail above this wasted/user-bytes ratio (0..1)' })
    .option('format', { type: 'string', describe: 'report format for --output: text|json|sarif|junit|markdown|gitlab|html' })
    .option('output', { type: 'string', describe: 'write the --format report to FILE' })
    .option('report', { type: 'string', array: true, describe: 'FORMAT=FILE, repeatable: several reports in one run' })
    .option('dockerfile', { type: 'string', describe: 'the Dockerfile the image was built from: each finding points at its line, FROM lines for unpinned-base, the HTML report names the instruction of each layer (default: ./Dockerfile or ./Containerfile)' })
    .option('base', { type: 'string', describe: 'the base image archive: its layers are marked as base, by diff_id' })
    .option('only-user-layers', { type: 'boolean', describe: "report only findings from the user's own layers" });
}

/** `fathom diff`'s options: each side like `fathom IMAGE`, the outputs, and the gate's `diff:` thresholds. */
function diffOptions<T>(y: Argv<T>) {
  return browserOptions(gateOptions(sourceOptions(y)))
    .positional('base', { type: 'string', describe: 'BASE: the image before the change (an archive, -, oci:DIR[:TAG], or an engine reference)' })
    .positional('head', { type: 'string', describe: 'HEAD: the image after the change' })
    .option('base-image', { type: 'string', describe: 'NAME[:TAG] or number of the image in a multi-image BASE archive' })
    .option('head-image', { type: 'string', describe: 'NAME[:TAG] or number of the image in a multi-image HEAD archive' })
    .option('platform', { type: 'string', describe: 'os/arch[/variant] to pick from multi-platform indexes (both sides)' })
    .option('base-platform', { type: 'string', describe: 'os/arch[/variant] for BASE only' })
    .option('head-platform', { type: 'string', describe: 'os/arch[/variant] for HEAD only' })
    .option('json', { type: 'string', describe: 'write the whole comparison as JSON to FILE (schema/diff.schema.json)' })
    .option('format', { type: 'string', describe: 'report format for --output or stdout: text|json|markdown|sarif|junit|gitlab|html' })
    .option('output', { type: 'string', describe: 'write the --format report to FILE' })
    .option('report', { type: 'string', array: true, describe: 'FORMAT=FILE, repeatable (e.g. markdown=diff.md for a pull-request comment)' })
    .option('expand', { type: 'boolean', describe: 'list every path below an added or removed directory, not only its top' })
    .option('dockerfile', { type: 'string', describe: "HEAD's Dockerfile: its FROM lines tell whether the base changed, HEAD's findings point at its lines (default: ./Dockerfile or ./Containerfile)" })
    .option('base-dockerfile', { type: 'string', describe: "BASE's Dockerfile" })
    .option('ci', { type: 'boolean', describe: 'run as a CI gate (also when CI=true): exit 1 when a diff threshold fails' })
    .option('ci-config', { type: 'string', describe: 'the .dive-ci file to use (its diff: section; default: searched from the working directory up)' })
    .option('maxSizeIncrease', { type: 'string', describe: 'CI: fail when HEAD is this many bytes larger (e.g. 10MB, 10MiB, disabled)' })
    .option('maxSizeIncreasePercent', { type: 'string', describe: "CI: fail when HEAD grows by more than this fraction of BASE's size (0.05 = 5 %)" })
    .option('maxPullIncrease', { type: 'string', describe: 'CI: fail when a node holding BASE must download more than this for HEAD' })
    .option('failOnNewFindings', { type: 'string', describe: 'CI: error (default), warn or off: which new findings fail' })
    .option('failOnStartRegression', { type: 'string', describe: 'CI: true (default) or false: fail when BASE starts and HEAD does not' });
}

/**
 * A reader that closes the pipe early (`fathom rules | head -1`) is not an error: the rest of the output is
 * dropped and the exit code is what it would have been.
 */
function ignoreClosedPipes(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE' || err.code === 'ERR_STREAM_DESTROYED') return;
      fail(`cannot write the output: ${err.message}`);
    });
  }
}

/**
 * A bare `-` (stdin) before any `--`, as a word yargs keeps: yargs reads `-` as an empty option, which strict
 * parsing would refuse as an unknown argument.
 */
const STDIN = '\u0000stdin';
function stdinMarked(argv: readonly string[]): string[] {
  const end = argv.indexOf('--');
  return argv.map((a, i) => (a === '-' && (end < 0 || i < end) ? STDIN : a));
}

const SUBCOMMANDS = new Set(['build', 'diff', 'strip', 'rules']);
const NO_LOAD = new Set(['--help', '-h', '--version', '-v']);

/**
 * Whether the command line runs `fathom IMAGE` (no subcommand, no help or version), judged before yargs parses it,
 * so that the load can begin while yargs loads. A wrong guess ends in a usage error, with an idle worker started.
 */
function reviewsAnImage(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  const words = end < 0 ? argv : argv.slice(0, end);
  return words.length > 0 && !words.some((a) => SUBCOMMANDS.has(a) || NO_LOAD.has(a));
}

/**
 * The image of `fathom REF` alone, the form CI runs: one word naming no command and no option, for which yargs
 * would give exactly `{ ref }`. Undefined for any other command line.
 */
function onlyRef(argv: readonly string[]): string | undefined {
  if (argv.length !== 1) return undefined;
  const [word] = argv as [string];
  return word === '-' || (word !== '' && !word.startsWith('-') && !SUBCOMMANDS.has(word)) ? word : undefined;
}

async function main(argv: string[]): Promise<number> {
  ignoreClosedPipes();
  // React's development build diffs every prop for its profiler: seconds per key on a big image. The UI is
  // imported lazily, so this takes effect before React loads.
  process.env['NODE_ENV'] ??= 'production';
  // `--version` alone is answered before yargs loads: its help layout (Intl.Segmenter, an emoji regex) costs more
  // than a bare node start
  if (argv.length === 1 && argv[0] === '--version') {
    process.stdout.write(fathomVersion() + '\n');
    return 0;
  }
  // and `--help` from the text yargs laid out when the CLI was bundled, when yargs would lay out the same
  const help = staticHelp(argv, process.stdout.columns, process.env, new URL('.', import.meta.url));
  if (help !== undefined) {
    process.stdout.write(help);
    return 0;
  }
  const early = reviewsAnImage(argv) ? import('./batchGc.js').then((m) => m.beginImageLoadEarly()) : undefined;
  // yargs' load and parse cost ~35 ms of CPU (more than the rest of a small image's start-up): not for its answer
  const ref = onlyRef(argv);
  if (ref !== undefined) {
    const { runAnalyze } = await import('./analyzeCommand.js');
    await early;
    return runAnalyze({ ref });
  }
  const { default: yargs } = await import('yargs');
  let code = 0;
  await yargs(stdinMarked(splitBuildArgv(argv)))
    .scriptName('fathom')
    .usage(
      '$0 IMAGE [options]\n\nReview a container image: layer waste (dive-compatible), CI gate, image rules.\n' +
        'IMAGE: an archive from docker/podman save (or skopeo), - for stdin, an OCI layout directory (oci:DIR[:TAG]),\n' +
        'an engine reference (docker://NAME, podman://NAME, or NAME for the Docker engine), or an image in a registry\n' +
        '(registry://HOST/REPO[:TAG|@DIGEST]; HOST/REPO:TAG too when the local engine does not have it).',
    )
    .command<AnalyzeArgs>(
      '$0 [ref]',
      'analyse an image',
      (y) => analyzeOptions(y).positional('ref', { type: 'string', describe: 'IMAGE' }),
      async (args) => {
        if (args.ref === STDIN) args.ref = '-';
        if (!args.ref) fail('no IMAGE given: pass an archive path, an image name, or - to read an archive from stdin (see --help)');
        // each command's modules load when it runs: --version and --help need yargs alone
        const { runAnalyze } = await import('./analyzeCommand.js');
        await early;
        code = await runAnalyze(args);
      },
    )
    .command<BuildArgs>(
      'build',
      'build with docker or podman, then review the image: fathom build [options] -- BUILD-ARGS (the -- may be left out when no build argument is also a fathom option: fathom build -t app .)',
      (y) =>
        analyzeOptions(y)
          .usage('$0 build [options] -- BUILD-ARGS\n\nBuild with docker or podman, then review the image by id. Without -- the arguments fathom does not know go to the build (fathom build -t app .); an option both have (--platform, --pull, --output, --format, -v) needs the -- form.')
          .option('engine', { type: 'string', describe: 'docker (default) or podman' }),
      async (args) => {
        const rest = (args as unknown as { '--'?: Array<string | number> })['--'] ?? [];
        const { runBuild } = await import('./buildCommand.js');
        code = await runBuild({ ...args, buildArgs: rest.map(String) });
      },
    )
    .command<DiffArgs>(
      'diff <base> <head>',
      'what a change does to an image: BASE (before, e.g. main) against HEAD (after, e.g. the pull request)',
      (y) => diffOptions(y),
      async (args) => {
        if (args.base === STDIN) args.base = '-';
        if (args.head === STDIN) args.head = '-';
        const { runDiff } = await import('./diffCommand.js');
        code = await runDiff(args);
      },
    )
    .command<StripArgs>(
      'strip <ref>',
      'the smallest image that still starts: keep what the command needs (found statically), explain it, write it',
      (y) => stripOptions(sourceOptions(y)),
      async (args) => {
        if (args.ref === '') args.ref = '-';
        const { runStrip } = await import('./stripCommand.js');
        code = await runStrip(args);
      },
    )
    .command<{ id?: string }>(
      'rules [id]',
      "list the image rules, or print one rule's documentation",
      (y) => y.positional('id', { type: 'string' }),
      async (args) => {
        const { runRulesCommand } = await import('./rulesCommand.js');
        code = runRulesCommand(args.id);
      },
    )
    .example('$0 app.tar', 'the layer browser on a terminal, the text report otherwise')
    .example('CI=true $0 app.tar', "dive's CI gate with .dive-ci: PASS/FAIL lines, exit 1 on a failed check")
    .example('$0 app:1 --ci --report sarif=fathom.sarif --report junit=fathom.xml', 'the gate plus reports for code scanning and test tabs')
    .example('$0 app:1 --ci --no-fail --report markdown=pr.md', 'a report-only job: always exit 0')
    .example('$0 diff app:main app:pr --report markdown=diff.md', 'what a pull request does to the image')
    .example('$0 build -t app:dev .', 'docker build (podman with --engine podman), then review the image')
    .epilogue(
      [
        'Exit codes: 0 pass (or no gate); 1 a check failed in CI mode (with --fail-on warn a warning too, with --no-fail never); ' +
          '2 unusable input, configuration or usage (one line on stderr naming the file and the problem).',
        'Environment: CI (CI mode when true as Go reads it: 1, t, T, TRUE, true, True; or yes); FORCE_COLOR, NO_COLOR; ' +
          'DOCKER_HOST, DOCKER_CONTEXT, DOCKER_TLS_VERIFY, DOCKER_CERT_PATH, DOCKER_CONFIG; CONTAINER_HOST, XDG_RUNTIME_DIR (podman); ' +
          'REGISTRY_AUTH_FILE, XDG_CONFIG_HOME; SSL_CERT_FILE; FATHOM_DEBUG (a stack trace on internal errors).',
        "Rules: fathom rules lists them; fathom rules ID prints one rule's documentation.",
      ].join('\n\n'),
    )
    .middleware((args) => {
      // `-` given as an option's value (`--json -`): back to `-`
      for (const [k, v] of Object.entries(args)) if (v === STDIN) (args as Record<string, unknown>)[k] = '-';
    })
    .parserConfiguration({ 'populate--': true })
    .strict()
    .help()
    .alias('h', 'help')
    .version(fathomVersion())
    .alias('v', 'version')
    .fail((msg, err) => {
      if (err) throw err;
      fail(msg);
    })
    .parseAsync();
  return code;
}

// what yargs' hideBin does for node: the arguments after the script
main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof InputError || err instanceof ConfigError) fail(err.message);
    if (process.env['FATHOM_DEBUG']) process.stderr.write(String((err as Error)?.stack) + '\n');
    fail(`internal error: ${(err as Error)?.message ?? String(err)} (set FATHOM_DEBUG=1 for details)`);
  },
);
