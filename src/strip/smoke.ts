import { spawn } from 'node:child_process';
import { lchown, mkdir, mkdtemp, realpath, rm, symlink, writeFile, chmod, open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { envValue, DEFAULT_PATH } from '../analysis/executables.js';
import type { MergedTree } from '../analysis/mergedTree.js';
import { ConfigError } from '../errors.js';
import type { FileEntry } from '../model/entryTypes.js';
import type { Image } from '../model/imageTypes.js';
import { baseName } from '../model/paths.js';
import type { KeptPath } from './closure.js';
import type { StripPlan } from './plan.js';
import type { SecondRead, SourceBytes } from './sourceBytes.js';

/** One smoke command's outcome in one filesystem. */
export interface SmokeRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface SmokeResult {
  readonly command: string;
  readonly original: SmokeRun;
  readonly stripped: SmokeRun;
  readonly same: boolean;
  /** The first path the original has and the stripped image does not, named in the stripped run's output. */
  readonly missing?: string;
}

const TIMEOUT_MS = 30_000;
const MAX_OUTPUT = 1 << 20;

/** `a 'b c' "d"` → [a, b c, d]: the words of a --smoke command (no shell in between). */
export function smokeWords(command: string): string[] {
  const words: string[] = [];
  const re = /'([^']*)'|"((?:\\.|[^"\\])*)"|(\S+)/g;
  for (let m = re.exec(command); m; m = re.exec(command)) words.push(m[1] ?? m[2]?.replace(/\\(.)/g, '$1') ?? m[3]!);
  return words;
}

/** The config's User as numbers, from the image's own /etc/passwd and /etc/group (root when unset). */
function userIds(tree: MergedTree, user: string): { uid: number; gid: number } {
  if (!user) return { uid: 0, gid: 0 };
  const [u, g] = user.split(':');
  const passwd = (tree.text('/etc/passwd') ?? '').split('\n').map((l) => l.split(':'));
  const group = (tree.text('/etc/group') ?? '').split('\n').map((l) => l.split(':'));
  const pw = passwd.find((f) => f[0] === u || (/^\d+$/.test(u!) && f[2] === u));
  const uid = /^\d+$/.test(u!) ? Number(u) : pw ? Number(pw[2]) : NaN;
  const gr = g === undefined ? undefined : group.find((f) => f[0] === g || f[2] === g);
  const gid = g === undefined ? Number(pw?.[3] ?? 0) : /^\d+$/.test(g) ? Number(g) : gr ? Number(gr[2]) : NaN;
  if (Number.isNaN(uid) || Number.isNaN(gid)) throw new ConfigError(`--smoke: the config's User ${user} is not in the image's /etc/passwd or /etc/group`);
  return { uid, gid };
}

/** Where an entry's bytes are: its own, or its hard link target's. */
function contentOf(tree: MergedTree, e: FileEntry): FileEntry | undefined {
  if (e.kind === 'file') return e;
  if (e.kind === 'hardlink' && e.link) {
    const t = tree.get(e.link);
    return t?.kind === 'file' ? t : undefined;
  }
  return undefined;
}

/**
 * Write one filesystem under `root`: the paths are the image's data, so each is joined under the root after checking
 * that no symlink already written leads out of it, files are created exclusively (never through an existing link),
 * and symlinks are written as links, never followed. Devices and FIFOs are left out (both filesystems alike).
 */
async function unpack(root: string, items: ReadonlyArray<{ path: string; entry?: FileEntry; made?: KeptPath['made'] }>, tree: MergedTree, bytes: SourceBytes): Promise<void> {
  await mkdir(root, { mode: 0o755 });
  const sorted = [...items].filter((i) => i.path !== '/').sort((a, b) => (a.path < b.path ? -1 : 1));
  for (const item of sorted) {
    const host = join(root, item.path);
    const parent = dirname(host);
    await mkdir(parent, { recursive: true });
    if ((await realpath(parent)) !== parent) continue; // below a symlink: not a place inside this filesystem
    const e = item.entry;
    const kind = e?.kind ?? item.made?.kind;
    const mode = e?.mode ?? item.made?.mode ?? 0o644;
    if (kind === 'dir') {
      await mkdir(host, { recursive: true });
    } else if (kind === 'symlink') {
      await symlink(e!.link ?? '', host);
    } else if (kind === 'file' || kind === 'hardlink') {
      const content = e ? contentOf(tree, e) : undefined;
      const fh = await open(host, 'wx', 0o600);
      try {
        if (content && content.size > 0) for await (const c of bytes.read(content.layer, content.path)) await fh.write(c);
      } finally {
        await fh.close();
      }
    } else {
      continue;
    }
    await lchown(host, e?.uid ?? 0, e?.gid ?? 0);
    if (kind !== 'symlink') await chmod(host, mode);
  }
}

function runIn(root: string, argv: readonly string[], env: readonly string[], ids: { uid: number; gid: number }, workingDir: string): Promise<SmokeRun> {
  return new Promise((resolve, reject) => {
    const environment: Record<string, string> = { PATH: DEFAULT_PATH };
    for (const kv of env) {
      const i = kv.indexOf('=');
      if (i > 0) environment[kv.slice(0, i)] = kv.slice(i + 1);
    }
    // util-linux unshare: chroot, chdir inside it, then drop to the config's user (no namespaces needed)
    const args = [`--root=${root}`, `--wd=${workingDir || '/'}`, '--setgid', String(ids.gid), '--setuid', String(ids.uid), '--', ...argv];
    const child = spawn('unshare', args, { env: environment, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let size = 0;
    const take = (into: Buffer[]) => (c: Buffer) => {
      if ((size += c.length) <= MAX_OUTPUT) into.push(c);
    };
    child.stdout.on('data', take(out));
    child.stderr.on('data', take(err));
    const timer = setTimeout(() => child.kill('SIGKILL'), TIMEOUT_MS);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(new ConfigError(`--smoke needs util-linux's unshare (${e.message})`));
    });
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      resolve({ status: status ?? (signal ? 128 : null), stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
    });
  });
}

/** The first path the stripped run's output names (or a library name it names) that the original has and the plan dropped. */
function firstMissing(run: SmokeRun, plan: StripPlan): string | undefined {
  const text = run.stderr + '\n' + run.stdout;
  const dropped = plan.dropped;
  const byPath = new Set(dropped.map((d) => d.path));
  for (const m of text.matchAll(/\/[\w.+@%-][\w./+@%-]*/g)) if (byPath.has(m[0])) return m[0];
  // a shell's `id: command not found`: the program of that name the original has on a PATH directory
  for (const m of text.matchAll(/(?:^|\s)([\w.+-]+): (?:command )?not found/gm)) {
    const hit = dropped.find((d) => baseName(d.path) === m[1] && /^\/(usr\/)?(local\/)?s?bin\/[^/]+$/.test(d.path));
    if (hit) return hit.path;
  }
  for (const m of text.matchAll(/[\w.+-]+\.so(?:\.[\w.]+)?/g)) {
    const hit = dropped.find((d) => baseName(d.path) === m[0]);
    if (hit) return hit.path;
  }
  return undefined;
}

/**
 * `--smoke CMD`: unpack the original and the stripped filesystem into a fresh private directory, run each command in
 * a chroot of both with the image's Env, User and WorkingDir, and compare exit status and output. Removed afterwards,
 * whatever happens. Needs root (chroot, owners).
 */
export async function smokeTest(plan: StripPlan, image: Image, tree: MergedTree, source: SecondRead, commands: readonly string[]): Promise<SmokeResult[]> {
  if (process.getuid?.() !== 0) throw new ConfigError('--smoke needs root: it unpacks both filesystems with their owners and runs each command in a chroot');
  const dir = await mkdtemp(join(tmpdir(), 'fathom-smoke-'));
  try {
    await chmod(dir, 0o700);
    const all = [...tree.entries()].map((entry) => ({ path: entry.path, entry }));
    const wanted = new Map<number, Set<string>>();
    for (const { entry } of all) {
      const c = contentOf(tree, entry);
      if (c && c.size > 0) (wanted.get(c.layer) ?? wanted.set(c.layer, new Set()).get(c.layer)!).add(c.path);
    }
    const bytes = await source(image, wanted, dir);
    try {
      await unpack(join(dir, 'original'), all, tree, bytes);
      await unpack(join(dir, 'stripped'), plan.kept.map((k) => ({ path: k.path, ...(k.entry ? { entry: k.entry } : {}), ...(k.made ? { made: k.made } : {}) })), tree, bytes);
    } finally {
      await bytes.close();
    }
    const ids = userIds(tree, image.config.user);
    const results: SmokeResult[] = [];
    for (const command of commands) {
      const argv = smokeWords(command);
      if (argv.length === 0) throw new ConfigError('--smoke: an empty command');
      const original = await runIn(join(dir, 'original'), argv, image.config.env, ids, image.config.workingDir);
      const stripped = await runIn(join(dir, 'stripped'), argv, image.config.env, ids, image.config.workingDir);
      const same = original.status === stripped.status && original.stdout === stripped.stdout && original.stderr === stripped.stderr;
      const missing = same ? undefined : firstMissing(stripped, plan);
      results.push({ command, original, stripped, same, ...(missing ? { missing } : {}) });
    }
    return results;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
