/**
 * Real engines for the tests: a private dockerd (own data-root, exec-root, pidfile and socket, no iptables, no
 * bridge) and a Podman API service on a private socket. Started when the binaries exist; otherwise the reason is
 * returned so the tests can say loudly why they skip. .ci/run installs both.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createReadStream, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Engine {
  readonly host: string;
  readonly socket: string;
  stop(): Promise<void>;
}

export const which = (bin: string) => spawnSync('sh', ['-c', `command -v ${bin}`]).status === 0;

function ping(socket: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request({ socketPath: socket, path: '/_ping', method: 'GET', timeout: 1000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => {
      req.destroy();
      resolve(false);
    });
    req.end();
  });
}

async function waitForPing(socket: string, child: ChildProcess, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (child.exitCode !== null) return false;
    if (existsSync(socket) && (await ping(socket))) return true;
    await new Promise((r) => setTimeout(r, 250));
  }
  return false;
}

function stopper(child: ChildProcess, dir: string): () => Promise<void> {
  return async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await Promise.race([new Promise((r) => child.once('exit', r)), new Promise((r) => setTimeout(r, 10000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
  };
}

export async function startDockerd(): Promise<Engine | string> {
  if (process.getuid?.() !== 0) return 'a private dockerd needs root';
  if (!which('dockerd')) return 'dockerd is not installed (apt-get install docker.io)';
  const dir = mkdtempSync(join(tmpdir(), 'fathom-dockerd-'));
  const socket = join(dir, 'docker.sock');
  const child = spawn(
    'dockerd',
    ['--data-root', join(dir, 'data'), '--exec-root', join(dir, 'exec'), '--pidfile', join(dir, 'pid'), '-H', `unix://${socket}`, '--iptables=false', '--ip-masq=false', '--bridge=none'],
    { stdio: 'ignore' },
  );
  if (!(await waitForPing(socket, child, 60000))) {
    await stopper(child, dir)();
    return 'dockerd did not answer /_ping within 60 s';
  }
  return { host: `unix://${socket}`, socket, stop: stopper(child, dir) };
}

export async function startPodmanService(): Promise<Engine | string> {
  if (!which('podman')) return 'podman is not installed (apt-get install podman)';
  const dir = mkdtempSync(join(tmpdir(), 'fathom-podman-'));
  const socket = join(dir, 'podman.sock');
  const child = spawn('podman', ['system', 'service', '--time=0', `unix://${socket}`], { stdio: 'ignore' });
  if (!(await waitForPing(socket, child, 30000))) {
    await stopper(child, dir)();
    return 'podman system service did not answer /_ping within 30 s';
  }
  return { host: `unix://${socket}`, socket, stop: stopper(child, dir) };
}

/** POST /images/load: the archive streamed into the engine. */
export function loadIntoEngine(socket: string, archive: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath: socket, path: '/images/load', method: 'POST', headers: { 'Content-Type': 'application/x-tar' } }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => (res.statusCode === 200 ? resolve(body) : reject(new Error(`load failed ${res.statusCode}: ${body}`))));
    });
    req.on('error', reject);
    createReadStream(archive).pipe(req);
  });
}
