#!/usr/bin/env node
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { ConfigError, InputError } from '../model/errors.js';
import { runAnalyze, type AnalyzeArgs } from './analyzeCommand.js';
import { runRulesCommand } from './rulesCommand.js';

/** Exit codes: 0 pass, 1 a check failed, 2 unusable input, configuration or usage. */
export const EXIT_INPUT = 2;

function fail(message: string): never {
  process.stderr.write(`fathom: ${message.replace(/\s*\n\s*/g, ' ')}\n`);
  process.exit(EXIT_INPUT);
}

async function main(argv: string[]): Promise<number> {
  // React's development build diffs every prop for its profiler: minutes on a big image's model. The UI is
  // imported lazily, so this takes effect before React loads.
  process.env['NODE_ENV'] ??= 'production';
  let code = 0;
  await yargs(argv)
    .scriptName('fathom')
    .usage('$0 IMAGE [options]\n\nReview a container image: layer waste (dive-compatible), CI gate, image rules.\nIMAGE is an archive from docker/podman save (or skopeo), or - for stdin.')
    .command<AnalyzeArgs>(
      '$0 [ref]',
      'analyse an image archive',
      (y) =>
        y
          .positional('ref', { type: 'string', describe: 'IMAGE: archive path, or - for stdin' })
          .option('json', { type: 'string', describe: "write dive's JSON export (plus fathom's fields) to FILE" })
          .option('platform', { type: 'string', describe: 'os/arch[/variant] to pick from a multi-platform index' })
          .option('image', { type: 'string', describe: 'NAME[:TAG] or number of the image in a multi-image archive' })
          .option('ci', { type: 'boolean', describe: 'run as a CI gate (also when CI=true)' })
          .option('ci-config', { type: 'string', describe: 'the .dive-ci file to use (default: searched from the working directory up)' })
          .option('lowestEfficiency', { type: 'string', describe: 'CI: fail below this efficiency (0..1)' })
          .option('highestWastedBytes', { type: 'string', describe: 'CI: fail above this many wasted bytes (e.g. 20MB, 20MiB, disabled)' })
          .option('highestUserWastedPercent', { type: 'string', describe: 'CI: fail above this wasted/user-bytes ratio (0..1)' })
          .option('format', { type: 'string', describe: 'report format for --output: text|json|sarif|junit|markdown|gitlab' })
          .option('output', { type: 'string', describe: 'write the --format report to FILE' })
          .option('report', { type: 'string', array: true, describe: 'FORMAT=FILE, repeatable: several reports in one run' })
          .option('dockerfile', { type: 'string', describe: 'the Dockerfile the image was built from (FROM lines for unpinned-base)' })
          .option('base', { type: 'string', describe: 'the base image archive: its layers are marked as base, by diff_id' })
          .option('only-user-layers', { type: 'boolean', describe: "report only findings from the user's own layers" }),
      async (args) => {
        // yargs turns a bare `-` into an empty string: `-` means stdin
        if (args.ref === '' && argv.includes('-')) args.ref = '-';
        if (!args.ref) fail('no IMAGE given: pass an archive path, or - to read one from stdin (see --help)');
        code = await runAnalyze(args);
      },
    )
    .command<{ id?: string }>(
      'rules [id]',
      'list the image rules, or print one rule\'s documentation',
      (y) => y.positional('id', { type: 'string' }),
      (args) => {
        code = runRulesCommand(args.id);
      },
    )
    .strictOptions()
    .help()
    .version()
    .fail((msg, err) => {
      if (err) throw err;
      fail(msg);
    })
    .parseAsync();
  return code;
}

main(hideBin(process.argv)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof InputError || err instanceof ConfigError) fail(err.message);
    if (process.env['FATHOM_DEBUG']) process.stderr.write(String((err as Error)?.stack) + '\n');
    fail(`internal error: ${(err as Error)?.message ?? String(err)} (set FATHOM_DEBUG=1 for details)`);
  },
);
