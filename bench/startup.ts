/**
 * Target 1 of issue 13, start-up: `fathom --version` and `fathom --help` within 1.5x of a bare `node -e 0`, and the
 * first byte of the archive read within 2x. The first read is timed through a FIFO: the clock runs from spawn until
 * the process opens the FIFO for reading (the writer's open succeeds at that moment), against a bare node that
 * opens the same FIFO. The CLI in CI mode, from the repository root: its configuration is searched first, as for a
 * user.
 */
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, constants, mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { interleaved, median, secs, table, times, type Command } from './measure.js';

const sleep = new Int32Array(new SharedArrayBuffer(4));

/** Seconds from spawn until the process opened `fifo` for reading (polled each 0.2 ms by a non-blocking open). */
async function timeToOpen(argv: readonly string[], fifo: string, env: NodeJS.ProcessEnv, cwd: string): Promise<number> {
  const t0 = process.hrtime.bigint();
  const child = spawn(argv[0]!, argv.slice(1), { stdio: 'ignore', env, cwd });
  let exited = false;
  child.on('exit', () => (exited = true));
  const exit = new Promise((r) => child.on('close', r));
  for (;;) {
    try {
      const fd = openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK);
      const t = Number(process.hrtime.bigint() - t0) / 1e9;
      closeSync(fd);
      await exit;
      return t;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENXIO') throw err;
      if (exited) throw new Error(`${argv.join(' ')} exited without opening the archive`);
      Atomics.wait(sleep, 0, 0, 0.2);
      // let the child's exit event through now and then
      if (Number(process.hrtime.bigint() - t0) > 30e9) throw new Error(`${argv.join(' ')}: no open in 30 s`);
      await new Promise((r) => setImmediate(r));
    }
  }
}

export async function startupSection(cli: string, root: string, rounds: number): Promise<string[]> {
  const node = process.execPath;
  const cmds: Command[] = [
    { label: 'node -e 0', argv: [node, '-e', '0'] },
    { label: 'fathom --version', argv: [node, cli, '--version'] },
    { label: 'fathom --help', argv: [node, cli, '--help'] },
  ];
  const r = interleaved(cmds, rounds);
  const dir = mkdtempSync(join(tmpdir(), 'fathom-bench-fifo-'));
  const fifo = join(dir, 'image.tar');
  spawnSync('mkfifo', [fifo]);
  const env = { ...process.env, CI: 'true' };
  const bare: number[] = [];
  const first: number[] = [];
  try {
    const bareArgv = [node, '-e', 'require("fs").openSync(process.argv[1], "r")', fifo];
    const fathomArgv = [node, cli, fifo];
    await timeToOpen(fathomArgv, fifo, env, root);
    for (let i = 0; i < rounds; i++) {
      bare.push(await timeToOpen(bareArgv, fifo, env, root));
      first.push(await timeToOpen(fathomArgv, fifo, env, root));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const firstRatio = median(first.map((t, i) => t / bare[i]!));
  const floor = r.wall('node -e 0');
  const rows = [
    ['node -e 0', secs(floor), secs(r.cpu('node -e 0')), '', ''],
    ['fathom --version', secs(r.wall('fathom --version')), secs(r.cpu('fathom --version')), times(r.ratio('fathom --version', 'node -e 0')), '<= 1.5x'],
    ['fathom --help', secs(r.wall('fathom --help')), secs(r.cpu('fathom --help')), times(r.ratio('fathom --help', 'node -e 0')), '<= 1.5x'],
    ['node opening the archive', secs(median(bare)), '', '', ''],
    ['fathom (CI=true) to its first read', secs(median(first)), '', times(firstRatio), '<= 2x'],
  ];
  return [
    `start-up (target 1), ${rounds} rounds, medians; ratios pair by pair against node (the first read against a bare node opening the same FIFO):`,
    table(['', 'wall', 'CPU', 'fathom/node', 'target'], rows),
  ];
}
