import { visibleFiles } from './support/perFile.js';
import type { Finding, Rule } from './support/types.js';

/** Package manager caches and indexes that belong to the build, not the image. */
const CACHES: ReadonlyArray<{ dir: string; what: string; fix: string }> = [
  { dir: '/var/lib/apt/lists', what: 'apt package lists', fix: 'end the RUN that calls apt-get with `&& rm -rf /var/lib/apt/lists/*`' },
  { dir: '/var/cache/apt/archives', what: 'apt downloaded packages', fix: 'run `apt-get clean` in the same RUN' },
  { dir: '/var/cache/apk', what: 'apk cache', fix: 'use `apk add --no-cache`' },
  { dir: '/var/cache/yum', what: 'yum cache', fix: 'run `yum clean all` in the same RUN' },
  { dir: '/var/cache/dnf', what: 'dnf cache', fix: 'run `dnf clean all` in the same RUN' },
  { dir: '/root/.cache/pip', what: 'pip cache', fix: 'use `pip install --no-cache-dir`' },
  { dir: '/root/.npm/_cacache', what: 'npm cache', fix: 'run `npm cache clean --force` in the same RUN, or mount the cache (RUN --mount=type=cache)' },
  { dir: '/usr/local/share/.cache/yarn', what: 'yarn cache', fix: 'run `yarn cache clean` in the same RUN' },
  { dir: '/root/.cache/yarn', what: 'yarn cache', fix: 'run `yarn cache clean` in the same RUN' },
  { dir: '/root/.cache/go-build', what: 'Go build cache', fix: 'build in a separate stage, or `go clean -cache`' },
];

/** Each directory with its slash, made once: concatenating it per cache per file was this rule's whole cost. */
const PREFIXES = CACHES.map((c) => ({ cache: c, prefix: c.dir + '/' }));

/** Package caches left in the final image, with their size. */
export const packageCache: Rule = {
  meta: {
    id: 'package-cache',
    title: 'package manager cache left in the image',
    severity: 'warn',
    docs:
      'Reports package-manager caches and indexes in the final filesystem (apt lists and archives, apk, yum/dnf, ' +
      'pip, npm, yarn, Go build cache) with the bytes they hold. They are needed only while installing and are ' +
      'shipped with every pull. Fix: clean them in the same RUN that fills them (a later RUN cannot reclaim the ' +
      'bytes), or use a cache mount.',
    related: ['hadolint DL3009', 'hadolint DL3019', 'hadolint DL3042', 'hadolint DL3060'],
    tags: ['efficiency', 'size'],
    precision: 'very-high',
  },
  check(ctx) {
    const totals = new Map<string, { bytes: number; files: number; layer: number }>();
    for (const e of visibleFiles(ctx)) {
      const c = PREFIXES.find((x) => e.path.startsWith(x.prefix))?.cache;
      if (!c) continue;
      const t = totals.get(c.dir) ?? { bytes: 0, files: 0, layer: e.layer };
      t.bytes += e.size;
      t.files++;
      t.layer = Math.max(t.layer, e.layer);
      totals.set(c.dir, t);
    }
    const out: Finding[] = [];
    for (const c of CACHES) {
      const t = totals.get(c.dir);
      if (!t) continue;
      out.push({ message: `${c.what} left in ${c.dir}: ${t.bytes} bytes in ${t.files} file(s)`, path: c.dir, layer: ctx.layerRef(t.layer), fix: c.fix, bytes: t.bytes });
    }
    return out;
  },
};
