/**
 * nginx of an unpacked image started in a chroot, as its Cmd starts it (`nginx -g 'daemon off;'`), but listening on
 * a free loopback port instead of port 80 (several test processes may run at once, and the host's port 80 is not
 * ours): every `listen … 80` of the rootfs's site configuration is rewritten to 127.0.0.1:PORT (again on each start),
 * the IPv6 ones are dropped. The files are edited where they are, so the rootfs must be a private copy.
 */
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { chrootSpawn, freePort, type ChrootProcess, type ChrootResult } from './chroot.js';

const SITE_DIRS = ['etc/nginx/sites-available', 'etc/nginx/conf.d'];

function listenOnLoopback(rootfs: string, port: number): number {
  let rewritten = 0;
  for (const rel of SITE_DIRS) {
    const dir = join(rootfs, rel);
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir)) {
      const file = join(dir, name);
      if (!statSync(file).isFile()) continue;
      const text = readFileSync(file, 'utf8');
      const next = text
        .replace(/^\s*listen\s+\[::\]:80\b[^;]*;\s*$/gm, '')
        .replace(/^(\s*listen\s+)(?:80|127\.0\.0\.1:\d+)\b([^;]*;)/gm, (_m, head: string, tail: string) => `${head}127.0.0.1:${port}${tail}`);
      if (next !== text) {
        writeFileSync(file, next);
        rewritten++;
      }
    }
  }
  return rewritten;
}

export interface HttpResponse {
  readonly status: number;
  readonly body: string;
}

export function httpGet(port: number, path = '/'): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, timeout: 5000 }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.end();
  });
}

export interface RunningNginx {
  readonly port: number;
  readonly process: ChrootProcess;
  /** The real uids of the master's children (the workers), read from /proc. */
  workerUids(): number[];
  /** SIGQUIT (the image's StopSignal: graceful), SIGKILL after 5 s. */
  stop(): Promise<ChrootResult>;
}

function childUids(pid: number): number[] {
  const uids: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const status = readFileSync(`/proc/${name}/status`, 'utf8');
      if (Number(/^PPid:\s+(\d+)/m.exec(status)?.[1]) !== pid) continue;
      uids.push(Number(/^Uid:\s+(\d+)/m.exec(status)?.[1]));
    } catch {
      // the process went away between readdir and read
    }
  }
  return uids;
}

/**
 * Start nginx in a chroot of ROOTFS and wait until it answers GET / (any status) or exits. Rejects with nginx's
 * stderr when it exits first, so a test of a broken rootfs sees nginx's own error ("getpwnam(…) failed", a missing
 * library…).
 */
export async function startNginx(rootfs: string, argv: readonly string[] = ['nginx', '-g', 'daemon off;'], env?: readonly string[]): Promise<RunningNginx> {
  const port = await freePort();
  if (listenOnLoopback(rootfs, port) === 0) throw new Error(`no "listen 80" in ${SITE_DIRS.join(' or ')} of ${rootfs}`);
  const proc = chrootSpawn(rootfs, argv, env ? { env } : {});
  const deadline = Date.now() + 15000;
  for (;;) {
    const done = await Promise.race([proc.exited, new Promise<undefined>((r) => setTimeout(r, 100, undefined))]);
    if (done) throw new Error(`nginx exited (status ${done.status}, signal ${done.signal}) before serving: ${done.stderr.trim()}`);
    if (await httpGet(port).then(() => true, () => false)) break;
    if (Date.now() > deadline) {
      const r = await proc.stop('SIGKILL');
      throw new Error(`nginx did not answer on 127.0.0.1:${port} within 15 s: ${r.stderr.trim()}`);
    }
  }
  return { port, process: proc, workerUids: () => childUids(proc.pid), stop: () => proc.stop('SIGQUIT') };
}
