/**
 * Pairs of images for `fathom diff`, built with the real tools the shared corpus was built with: the corpus's
 * busybox base loaded into a private podman storage, then Containerfiles built on it with
 * `podman build --isolation chroot` (overlay storage driver, so a directory removed and refilled in one RUN is an
 * opaque directory in the layer), and every image written with `podman save`. The podman storage stays open so a
 * test can ask `podman image diff` about the same pair and mount the images to check what it says.
 *
 * BASE sets up one file or directory per case; HEAD_EDITS is BASE plus one RUN that makes every change the issue
 * lists. The inserted-layer pair is built with `--timestamp 0` so the COPY layer both images end with has one
 * diff_id, at another index in each.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { which } from './engines.js';
import { PrivatePodman } from './privatePodman.js';
import { IMAGES } from './shared.js';

export const BUSYBOX_BASE = join(IMAGES, 'corpus', 'docker-archive', 'busybox-base.tar');
const FROM = 'localhost/corpus/busybox-base:latest';

/**
 * Every case's starting point: one path per case, a hard link, and a small apk database. same-size.txt gets an old
 * mtime: the oracle (`podman image diff`) finds a change by size and whole-second mtime, so a same-size edit made in
 * the same second as the base's RUN would be invisible to it (fathom compares content and needs no such help).
 */
const BASE = `FROM ${FROM}
RUN mkdir -p /app/tree/sub /app/d2f /app/opq /lib/apk/db && \\
    echo aaaa > /app/same-size.txt && touch -t 200001010000 /app/same-size.txt && echo m > /app/mode.txt && echo o > /app/owner.txt && echo s > /app/suid && \\
    ln -s same-size.txt /app/link && echo f > /app/f2d && echo x > /app/d2f/x && echo 1 > /app/opq/a && echo 2 > /app/opq/b && \\
    echo gone > /app/deleted.txt && echo t1 > /app/tree/t1 && echo t22 > /app/tree/sub/t2 && \\
    echo 'the moving file' > /app/from.txt && echo shared > /app/hard-target && ln /app/hard-target /app/hard && \\
    printf 'P:musl\\nV:1.2.4-r2\\nA:x86_64\\n\\nP:busybox\\nV:1.36.1-r5\\nA:x86_64\\n\\nP:zlib\\nV:1.3-r0\\nA:x86_64\\n' > /lib/apk/db/installed
`;

/** One RUN making every change at once. */
const HEAD_EDITS = `FROM localhost/fathom-diff/base:1
RUN echo bbbb > /app/same-size.txt && chmod 600 /app/mode.txt && chown 1000:1000 /app/owner.txt && chmod u+s /app/suid && \\
    ln -sf mode.txt /app/link && rm /app/f2d && mkdir /app/f2d && echo inner > /app/f2d/inner && \\
    rm -rf /app/d2f && echo now-a-file > /app/d2f && rm -rf /app/opq && mkdir /app/opq && echo 3 > /app/opq/c && \\
    rm /app/deleted.txt && rm -rf /app/tree && mv /app/from.txt /app/to.txt && mkdir -p /app/new/deep && echo n > /app/new/deep/n && \\
    echo hh > /app/new/deep/h1 && ln /app/new/deep/h1 /app/new/deep/h2 && \\
    printf 'P:musl\\nV:1.2.4-r3\\nA:x86_64\\n\\nP:busybox\\nV:1.36.0-r0\\nA:x86_64\\n\\nP:curl\\nV:8.5.0-r0\\nA:x86_64\\n' > /lib/apk/db/installed
`;

/** The runtime settings changed, and the start broken: the entrypoint is a program the image does not have. */
const HEAD_BROKEN = `FROM localhost/fathom-diff/base:1
ENV MODE=prod PATH=/usr/local/bin:/usr/bin:/bin
LABEL org.example.team=images
EXPOSE 8080/tcp
VOLUME /data
WORKDIR /app
ENTRYPOINT ["/app/server"]
`;

const COPY_ONLY = `FROM ${FROM}\nCOPY y/ /y/\n`;
const INSERTED = `FROM ${FROM}\nRUN echo inserted > /inserted.txt\nCOPY y/ /y/\n`;

export interface DiffPairs {
  readonly podman: PrivatePodman;
  readonly dir: string;
  /** docker-archive of each image, by name. */
  readonly archive: Record<ImageName, string>;
  /** The edits pair in other layouts: OCI archive (gzip) and an OCI archive with zstd layers. */
  readonly ociArchive: Record<'base' | 'edits', string>;
  readonly zstdArchive: Record<'base' | 'edits', string>;
  /** HEAD_EDITS as an OCI layout directory (`oci:DIR:TAG`). */
  readonly ociDir: string;
  /** Each image's reference in the private storage. */
  readonly ref: Record<ImageName, string>;
  close(): Promise<void>;
}

export type ImageName = 'base' | 'edits' | 'broken' | 'copyOnly' | 'inserted';

export function diffPairsUnavailable(): string | undefined {
  if (process.getuid?.() !== 0) return 'building the diff pairs needs root (podman build --isolation chroot)';
  if (!which('podman')) return 'podman is not installed (.ci/run installs it)';
  return undefined;
}

let pending: Promise<DiffPairs> | undefined;

/** Build every image once per process (about 10 s). */
export function diffPairs(): Promise<DiffPairs> {
  pending ??= build();
  return pending;
}

async function build(): Promise<DiffPairs> {
  const podman = new PrivatePodman();
  const dir = mkdtempSync(join(tmpdir(), 'fathom-diff-pairs-'));
  const ctx = join(dir, 'ctx');
  mkdirSync(join(ctx, 'y'), { recursive: true });
  writeFileSync(join(ctx, 'y', 'f'), 'the same bytes in both images\n');
  await podman.run(['load', '-i', BUSYBOX_BASE]);
  const files: Record<ImageName, [string, string, string[]]> = {
    base: ['localhost/fathom-diff/base:1', BASE, []],
    edits: ['localhost/fathom-diff/edits:1', HEAD_EDITS, []],
    broken: ['localhost/fathom-diff/broken:1', HEAD_BROKEN, []],
    copyOnly: ['localhost/fathom-diff/copy-only:1', COPY_ONLY, ['--timestamp', '0']],
    inserted: ['localhost/fathom-diff/inserted:1', INSERTED, ['--timestamp', '0']],
  };
  const archive = {} as Record<ImageName, string>;
  const ref = {} as Record<ImageName, string>;
  for (const [name, [tag, text, extra]] of Object.entries(files) as Array<[ImageName, [string, string, string[]]]>) {
    writeFileSync(join(ctx, `${name}.Containerfile`), text);
    await podman.run(['build', '--isolation', 'chroot', '-q', ...extra, '-t', tag, '-f', join(ctx, `${name}.Containerfile`), ctx]);
    archive[name] = join(dir, `${name}.tar`);
    await podman.run(['save', '--format', 'docker-archive', '-o', archive[name], tag]);
    ref[name] = tag;
  }
  const ociArchive = { base: join(dir, 'base-oci.tar'), edits: join(dir, 'edits-oci.tar') };
  const zstdArchive = { base: join(dir, 'base-zstd.tar'), edits: join(dir, 'edits-zstd.tar') };
  for (const side of ['base', 'edits'] as const) {
    await podman.run(['save', '--format', 'oci-archive', '-o', ociArchive[side], ref[side]]);
    await podman.run(['push', '--compression-format', 'zstd', ref[side], `oci-archive:${zstdArchive[side]}`]);
  }
  const ociDir = join(dir, 'edits-layout');
  await podman.run(['push', ref.edits, `oci:${ociDir}:edits`]);
  return {
    podman,
    dir,
    archive,
    ociArchive,
    zstdArchive,
    ociDir: `oci:${ociDir}:edits`,
    ref,
    close: async () => {
      await podman.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
