/**
 * Real Debian 12 images for the tests: the cases of the articles `fathom strip` answers (nginx that needs its user
 * lookup, bash, a program that needs CA certificates and NSS, a binary built for a newer glibc), made with the real
 * tools and no registry:
 *
 *   - here, on the host: `gcc` compiles debianImages/tls-get.c (OpenSSL + getaddrinfo) and hello.c; a copy of hello
 *     has its needed `GLIBC_2.34` renamed `GLIBC_2.99` (elfVersionNeed.ts); `openssl` makes a test CA and a server
 *     certificate for `fixture.test`;
 *   - debianImages/build.sh: `debootstrap --variant=minbase bookworm` from deb.debian.org, slimmed like
 *     debian:bookworm-slim and imported with `podman import`; the added packages fetched with `apt-get download`
 *     into a local repository; each debianImages/*.Containerfile built with `podman build --isolation chroot` on
 *     that base, installing from the repository; `podman save --format docker-archive` for each.
 *
 * Everything happens in a private podman storage and needs root (debootstrap, chroot builds). The result is cached
 * under os.tmpdir()/fathom-debian-images/<hash of every input>: built once per machine, shared by every test process
 * of a run (a lock directory serialises concurrent builders), rebuilt when an input changes. CI starts clean and
 * pays the build once: 1.5-2 minutes here, most of it debootstrap (the test prints each step's time). Delete the
 * directory to force a rebuild; FATHOM_DEBIAN_MIRROR names another Debian mirror. A test file takes them through
 * debianFixture.ts, which also gives it a private podman.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renameNeededVersion } from './elfVersionNeed.js';
import { which } from './engines.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const SOURCES = join(HERE, 'debianImages');
/** Bump when the layout of a cache directory changes without any input file changing. */
const CACHE_FORMAT = '1';
const STALE_MS = 24 * 3600 * 1000;

/** nginx's data, which no loader names: its configuration, the site, its log and state directories, the pid file's. */
export const NGINX_DATA = ['--keep', '/etc/nginx', '--keep', '/var/www', '--keep', '/var/lib/nginx', '--keep', '/var/log/nginx', '--keep', '/usr/share/nginx', '--keep', '/run'];

export interface TlsGetFixture {
  readonly archive: string;
  /** What the program is asked to reach: the tests map it to 127.0.0.1 in the rootfs's /etc/hosts. */
  readonly hostname: string;
  /** PEM files on the host: the CA the image trusts, and a certificate for `hostname` it signed. */
  readonly caCert: string;
  readonly serverCert: string;
  readonly serverKey: string;
}

export interface NewerGlibcFixture {
  readonly archive: string;
  /** The image's Entrypoint: the program that needs `needs` from libc.so.6. */
  readonly binary: string;
  readonly needs: string;
  /** The same program before its requirement was raised (a host path): it runs on the image's glibc. */
  readonly control: string;
}

export interface DebianImages {
  /** docker-archive of localhost/fathom-fixture/nginx:1.22: Cmd nginx -g 'daemon off;', port 80, user www-data. */
  readonly nginx: string;
  /** docker-archive of localhost/fathom-fixture/bash:5.2: the Debian base with Cmd ["/bin/bash"]. */
  readonly bash: string;
  readonly tlsGet: TlsGetFixture;
  readonly newerGlibc: NewerGlibcFixture;
  /** The build's step timings (`step NAME N ms` lines), from the run that made the cache. */
  readonly buildLog: string;
}

/** Why the images cannot be built here (for t.skip), or undefined when they can. .ci/run installs every tool. */
export function debianImagesUnavailable(): string | undefined {
  if (process.getuid?.() !== 0) return 'the Debian fixture images need root (debootstrap, podman build --isolation chroot, chroot)';
  const missing = ['debootstrap', 'podman', 'gcc', 'openssl', 'chroot', 'readelf'].filter((b) => !which(b));
  if (missing.length > 0) return `the Debian fixture images need ${missing.join(', ')} (.ci/run installs them)`;
  if (!existsSync('/usr/include/openssl/ssl.h')) return 'the tls-get fixture needs libssl-dev (.ci/run installs it)';
  return undefined;
}

function run(cmd: string, args: string[], cwd?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { cwd, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${cmd} ${args.join(' ')} failed: ${err.message}\n${stderr.slice(-4000)}`));
      else resolve(stdout);
    });
  });
}

function inputsKey(): string {
  const h = createHash('sha256').update(CACHE_FORMAT).update('\0').update(process.env.FATHOM_DEBIAN_MIRROR ?? '');
  const files = [join(HERE, 'elfVersionNeed.ts'), ...readdirSync(SOURCES).sort().map((f) => join(SOURCES, f))];
  for (const f of files) h.update('\0').update(f.slice(HERE.length)).update('\0').update(readFileSync(f));
  return h.digest('hex').slice(0, 16);
}

/** The build's own inputs: compiled programs, the raised-glibc copy, the test CA and the server certificate. */
async function prepareInputs(dir: string): Promise<void> {
  const inputs = join(dir, 'inputs');
  const tls = join(dir, 'tls');
  mkdirSync(inputs, { recursive: true });
  mkdirSync(tls, { recursive: true });
  await run('gcc', ['-O2', '-Wall', '-o', join(inputs, 'tls-get'), join(SOURCES, 'tls-get.c'), '-lssl', '-lcrypto']);
  await run('gcc', ['-O2', '-Wall', '-o', join(dir, 'hello'), join(SOURCES, 'hello.c')]);
  writeFileSync(join(inputs, 'needs-glibc-2.99'), renameNeededVersion(readFileSync(join(dir, 'hello')), 'GLIBC_2.34', 'GLIBC_2.99'));
  chmodSync(join(inputs, 'needs-glibc-2.99'), 0o755);

  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  await run('openssl', ['req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '3650', '-subj', '/CN=fathom fixture test CA',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'], tls);
  await run('openssl', ['req', ...ec, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=fixture.test'], tls);
  writeFileSync(join(tls, 'server.ext'), 'subjectAltName=DNS:fixture.test\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n');
  await run('openssl', ['x509', '-req', '-in', 'server.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '3650',
    '-extfile', 'server.ext', '-out', 'server.crt'], tls);
  writeFileSync(join(inputs, 'test-ca.crt'), readFileSync(join(tls, 'ca.crt')));
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

const mtime = (path: string) => {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return Date.now();
  }
};

/** Build into `dir` unless it exists, one builder at a time across processes; the others wait for it. */
async function buildOnce(dir: string, build: (into: string) => Promise<void>): Promise<void> {
  const lock = `${dir}.lock`;
  const deadline = Date.now() + 30 * 60 * 1000;
  for (;;) {
    if (existsSync(dir)) return;
    try {
      mkdirSync(lock);
      break;
    } catch {
      const pidFile = join(lock, 'pid');
      const owner = existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8')) : 0;
      // a builder that died, or one that died between taking the lock and writing its pid
      const orphan = owner === 0 && Date.now() - mtime(lock) > 60000;
      if ((owner > 0 && !alive(owner)) || orphan) rmSync(lock, { recursive: true, force: true });
      else if (Date.now() > deadline) throw new Error(`gave up waiting for ${lock} (pid ${owner})`);
      else await new Promise((r) => setTimeout(r, 1000));
    }
  }
  writeFileSync(join(lock, 'pid'), String(process.pid));
  const partial = `${dir}.partial-${process.pid}`;
  try {
    if (existsSync(dir)) return;
    rmSync(partial, { recursive: true, force: true });
    mkdirSync(partial, { recursive: true });
    await build(partial);
    renameSync(partial, dir);
  } finally {
    rmSync(partial, { recursive: true, force: true });
    rmSync(lock, { recursive: true, force: true });
  }
}

/** Caches of older inputs untouched for a day go (a cache in use is touched on every run), and dead builders' leftovers. */
function pruneStale(root: string, keep: string): void {
  for (const name of readdirSync(root)) {
    const path = join(root, name);
    const builder = /\.partial-(\d+)$/.exec(name);
    if (builder) {
      if (!alive(Number(builder[1]))) rmSync(path, { recursive: true, force: true });
    } else if (path !== keep && !name.endsWith('.lock') && Date.now() - mtime(path) > STALE_MS) {
      rmSync(path, { recursive: true, force: true });
    }
  }
}

let pending: Promise<DebianImages> | undefined;

/** The four images, built on first use (see the top of this file); the same promise for every caller in a process. */
export function debianImages(): Promise<DebianImages> {
  pending ??= (async () => {
    const reason = debianImagesUnavailable();
    if (reason) throw new Error(reason);
    const root = join(tmpdir(), 'fathom-debian-images');
    mkdirSync(root, { recursive: true });
    const dir = join(root, inputsKey());
    await buildOnce(dir, async (into) => {
      await prepareInputs(into);
      const log = await run('bash', [join(SOURCES, 'build.sh'), join(into, 'inputs'), into]);
      writeFileSync(join(into, 'build.log'), log);
    });
    const now = new Date();
    utimesSync(dir, now, now);
    pruneStale(root, dir);
    const tls = join(dir, 'tls');
    return {
      nginx: join(dir, 'nginx.tar'),
      bash: join(dir, 'bash.tar'),
      tlsGet: { archive: join(dir, 'tls-get.tar'), hostname: 'fixture.test', caCert: join(tls, 'ca.crt'), serverCert: join(tls, 'server.crt'), serverKey: join(tls, 'server.key') },
      newerGlibc: { archive: join(dir, 'newer-glibc.tar'), binary: '/usr/local/bin/needs-glibc-2.99', needs: 'GLIBC_2.99', control: join(dir, 'hello') },
      buildLog: readFileSync(join(dir, 'build.log'), 'utf8'),
    };
  })();
  return pending;
}
