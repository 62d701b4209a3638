/**
 * Running an unpacked image's programs the way the tests can here (`podman run` does not work, chroot does): the
 * command in a chroot of the rootfs with only the image's Env, its output collected asynchronously so a server in
 * the test's own process (a TLS endpoint, say) keeps answering meanwhile. Needs root.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

export const DEFAULT_PATH = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export interface ChrootOptions {
  /** The image's Env (`NAME=value`); PATH defaults to the runtimes' default. Nothing of the host's environment leaks in. */
  readonly env?: readonly string[];
  readonly timeoutMs?: number;
}

export interface ChrootResult {
  readonly status: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

function environment(env: readonly string[] = []): Record<string, string> {
  const out: Record<string, string> = {};
  for (const kv of [DEFAULT_PATH, ...env]) {
    const eq = kv.indexOf('=');
    if (eq > 0) out[kv.slice(0, eq)] = kv.slice(eq + 1);
  }
  return out;
}

export interface ChrootProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  /** What it wrote so far. */
  output(): { stdout: string; stderr: string };
  /** Resolves when it has exited. */
  readonly exited: Promise<ChrootResult>;
  /** Send `signal`, then SIGKILL after `graceMs` if it is still there; resolves when it has exited. */
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<ChrootResult>;
}

/** Start ARGV in a chroot of ROOTFS (argv[0] is looked up on the given PATH inside the rootfs). */
export function chrootSpawn(rootfs: string, argv: readonly string[], opts: ChrootOptions = {}): ChrootProcess {
  const child = spawn('/usr/sbin/chroot', [rootfs, ...argv], { env: environment(opts.env), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<ChrootResult>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (status, signal) => resolve({ status, signal, stdout, stderr }));
  });
  const stop = async (signal: NodeJS.Signals = 'SIGTERM', graceMs = 5000) => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited.finally(() => clearTimeout(timer));
    }
    return exited;
  };
  if (child.pid === undefined) throw new Error(`could not start chroot ${rootfs} ${argv.join(' ')}`);
  return { child, pid: child.pid, output: () => ({ stdout, stderr }), exited, stop };
}

/** Run ARGV to its end in a chroot of ROOTFS (killed after timeoutMs, 30 s by default). */
export async function chrootRun(rootfs: string, argv: readonly string[], opts: ChrootOptions = {}): Promise<ChrootResult> {
  const p = chrootSpawn(rootfs, argv, opts);
  const timer = setTimeout(() => p.child.kill('SIGKILL'), opts.timeoutMs ?? 30000);
  try {
    return await p.exited;
  } finally {
    clearTimeout(timer);
  }
}

/** A loopback port nothing listens on right now (the kernel's pick, so parallel tests do not collide). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}
