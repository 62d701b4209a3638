import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ConfigError, InputError } from '../errors.js';
import { runAnalyze, type AnalyzeArgs } from './analyzeCommand.js';

export interface BuildArgs extends AnalyzeArgs {
  engine?: string;
  buildArgs: string[];
}

/** The build file: -f/--file as given, else Dockerfile or Containerfile in the context directory. */
export function buildFile(buildArgs: readonly string[]): { file: string; explicit: boolean } | undefined {
  for (let i = 0; i < buildArgs.length; i++) {
    const a = buildArgs[i]!;
    if (a === '-f' || a === '--file') return { file: buildArgs[i + 1] ?? '', explicit: true };
    if (a.startsWith('--file=')) return { file: a.slice(7), explicit: true };
    if (a.startsWith('-f') && a.length > 2) return { file: a.slice(2), explicit: true };
  }
  const positional = buildArgs.filter((a, i) => !a.startsWith('-') && !(i > 0 && /^-(f|t|-tag|-file|-build-arg|-target|-platform)$/.test(buildArgs[i - 1]!)));
  const context = positional.at(-1) ?? '.';
  for (const name of ['Dockerfile', 'Containerfile']) {
    const f = join(context, name);
    if (existsSync(f)) return { file: f, explicit: false };
  }
  return undefined;
}

/**
 * `fathom build [--engine docker|podman] -- <build args>`: build with the engine, then review the image it made by
 * id (the TUI on a terminal, the gate in CI), with the build's own Dockerfile for the unpinned-base rule.
 */
export async function runBuild(args: BuildArgs): Promise<number> {
  const engine = args.engine ?? 'docker';
  if (engine !== 'docker' && engine !== 'podman') throw new ConfigError(`--engine ${engine}: use docker or podman`);
  if (args.buildArgs.length === 0) throw new ConfigError('fathom build: give the build arguments after --, e.g. fathom build -- -t app:dev .');
  const found = buildFile(args.buildArgs);
  const dir = mkdtempSync(join(tmpdir(), 'fathom-build-'));
  const iidfile = join(dir, 'iid');
  try {
    const argv = ['build', '--iidfile', iidfile, ...(found && !found.explicit ? ['-f', found.file] : []), ...args.buildArgs];
    const code = await new Promise<number>((done, fail) => {
      // the build's own output goes to stderr: stdout is the report's
      const child = spawn(engine, argv, { stdio: ['ignore', process.stderr, process.stderr] });
      child.on('error', (err: NodeJS.ErrnoException) => fail(new InputError(err.code === 'ENOENT' ? `${engine}: command not found; install it or choose --engine` : `${engine} build: ${err.message}`)));
      child.on('close', (c) => done(c ?? 1));
    });
    if (code !== 0) throw new InputError(`${engine} build failed (exit ${code}); see its output above`);
    const id = readFileSync(iidfile, 'utf8').trim();
    if (!id) throw new InputError(`${engine} build wrote no image id`);
    return await runAnalyze({
      ...args,
      ref: `${engine}://${id}`,
      ...(args.dockerfile === undefined && found ? { dockerfile: resolve(found.file) } : {}),
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
