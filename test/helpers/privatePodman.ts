/**
 * podman on a storage of its own (--root/--runroot under a fresh temporary directory): the independent check that an
 * archive is a loadable image, and the way the tests get an image's merged filesystem onto disk to chroot into it:
 * `podman image mount` of the loaded image (read-only) under an overlay of our own whose upper directory is a fresh
 * temporary one, so a test may change files freely without touching the image. An overlay instead of a copy because
 * `cp -a` of a 90 MB Debian image takes ~5 s on the CI machine and the mount takes milliseconds; redirect_dir=on
 * so a directory of the image can be renamed (without it overlayfs answers EXDEV). Needs root.
 */
import { execFile, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The part of `podman image inspect` the tests read. */
export interface PodmanImage {
  readonly Id: string;
  readonly RepoTags: readonly string[] | null;
  readonly Config: {
    readonly Cmd?: readonly string[];
    readonly Entrypoint?: readonly string[];
    readonly Env?: readonly string[];
    readonly ExposedPorts?: Readonly<Record<string, object>>;
    readonly User?: string;
    readonly WorkingDir?: string;
    readonly StopSignal?: string;
  };
  readonly RootFS: { readonly Layers: readonly string[] };
}

export class PrivatePodman {
  private readonly dir = mkdtempSync(join(tmpdir(), 'fathom-podman-storage-'));
  private readonly mounts: string[] = [];

  /** podman with this storage; resolves with stdout, rejects with stderr. */
  run(args: readonly string[]): Promise<string> {
    const full = ['--root', join(this.dir, 'storage'), '--runroot', join(this.dir, 'run'), '--storage-driver', 'overlay', ...args];
    return new Promise((resolve, reject) => {
      execFile('podman', full, { maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
        if (err) reject(new Error(`podman ${args.join(' ')} failed: ${stderr.trim() || err.message}`));
        else resolve(stdout);
      });
    });
  }

  /** `podman load -i ARCHIVE`: the loaded image's inspect record. */
  async load(archive: string): Promise<PodmanImage> {
    const out = await this.run(['load', '-i', archive]);
    const ref = /Loaded image(?:\(s\))?: (\S+)/.exec(out)?.[1];
    if (!ref) throw new Error(`podman load ${archive} named no image: ${out}`);
    return this.inspect(ref);
  }

  async inspect(ref: string): Promise<PodmanImage> {
    const records = JSON.parse(await this.run(['image', 'inspect', ref])) as PodmanImage[];
    if (records.length !== 1) throw new Error(`podman image inspect ${ref}: ${records.length} records`);
    return records[0]!;
  }

  /** A private, writable view of the image's merged filesystem (unmounted by close()). */
  async unpack(ref: string): Promise<string> {
    const merged = (await this.run(['image', 'mount', ref])).trim();
    const dir = mkdtempSync(join(this.dir, 'rootfs-'));
    const rootfs = join(dir, 'root');
    for (const d of ['upper', 'work', 'root']) mkdirSync(join(dir, d));
    await new Promise<void>((resolve, reject) =>
      execFile('mount', ['-t', 'overlay', 'overlay', '-o', `redirect_dir=on,lowerdir=${merged},upperdir=${join(dir, 'upper')},workdir=${join(dir, 'work')}`, rootfs], (err, _o, stderr) =>
        err ? reject(new Error(`mounting an overlay on ${merged}: ${stderr.trim() || err.message}`)) : resolve(),
      ),
    );
    this.mounts.push(rootfs);
    return rootfs;
  }

  /** Load ARCHIVE and unpack it: its inspect record and a rootfs copy. */
  async loadAndUnpack(archive: string): Promise<{ image: PodmanImage; rootfs: string }> {
    const image = await this.load(archive);
    return { image, rootfs: await this.unpack(image.Id) };
  }

  async close(): Promise<void> {
    // lazily: a process a failed test left running in the rootfs must not keep the storage from going
    for (const m of this.mounts.splice(0)) spawnSync('umount', ['--lazy', m]);
    await this.run(['image', 'unmount', '--all']).catch(() => undefined);
    await this.run(['rmi', '--all', '--force']).catch(() => undefined);
    rmSync(this.dir, { recursive: true, force: true, maxRetries: 3 });
  }
}
