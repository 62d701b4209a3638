import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { entrypointRunnable } from '../../rules/entrypointRunnable.js';
import type { ImageSpec, TarItem } from '../helpers/buildArchive.js';
import { renameNeededVersion } from '../helpers/elfVersionNeed.js';
import { busybox, fromDynamicOk } from '../helpers/realBinaries.js';
import { built, corpusRules, once, ruleCases, type InvalidCase, type RuleCase } from '../helpers/ruleCases.js';

const GNU = '/usr/lib/x86_64-linux-gnu';
const entry = { configField: 'config.Entrypoint' };
const cmd = { configField: 'config.Cmd' };

/** dynamic-scratch-ok rebuilt here (bin, lib, lib64 symlinked into /usr), without the files in `drop`. */
function lsImage(drop: string[], config: Record<string, unknown> = { Entrypoint: ['/bin/ls'] }, extra: TarItem[] = [], edit = (_path: string, bytes: Buffer) => bytes) {
  return built(async (): Promise<ImageSpec> => {
    const files = ['usr/bin/ls', 'usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2', 'usr/lib/x86_64-linux-gnu/libc.so.6', 'usr/lib/x86_64-linux-gnu/libpcre2-8.so.0.11.2', 'usr/lib/x86_64-linux-gnu/libselinux.so.1'];
    const items: TarItem[] = [{ name: 'usr/' }, { name: 'usr/bin/' }, { name: 'usr/lib/' }, { name: 'usr/lib/x86_64-linux-gnu/' }, { name: 'usr/lib64/' }];
    for (const f of files) if (!drop.includes(f)) items.push({ name: f, content: edit(f, await fromDynamicOk('/' + f)), mode: 0o755 });
    items.push(
      { name: 'bin', type: 'symlink', linkname: 'usr/bin' },
      { name: 'lib', type: 'symlink', linkname: 'usr/lib' },
      { name: 'lib64', type: 'symlink', linkname: 'usr/lib64' },
      { name: 'usr/lib/x86_64-linux-gnu/libpcre2-8.so.0', type: 'symlink', linkname: 'libpcre2-8.so.0.11.2' },
      { name: 'usr/lib64/ld-linux-x86-64.so.2', type: 'symlink', linkname: '/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2' },
      ...extra,
    );
    return { config, layers: [{ items }] };
  });
}

/** /bin/busybox and `extra` files, with `config`. */
const withBusybox = (config: Record<string, unknown>, extra: TarItem[] = []) =>
  built(async () => ({ config, layers: [{ items: [{ name: 'bin/' }, { name: 'bin/busybox', content: await busybox(), mode: 0o755 }, ...extra] }] }));

/** main needs libgreet.so, looked for in its DT_RUNPATH $ORIGIN/../lib: compiled here with cc. */
const greet = once(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fathom-elf-'));
  writeFileSync(join(dir, 'greet.c'), 'int greet(void) { return 7; }\n');
  writeFileSync(join(dir, 'main.c'), 'int greet(void);\nint main(void) { return greet(); }\n');
  execFileSync('cc', ['-shared', '-fPIC', '-o', join(dir, 'libgreet.so'), join(dir, 'greet.c')]);
  execFileSync('cc', ['-o', join(dir, 'main'), join(dir, 'main.c'), `-L${dir}`, '-lgreet', '-Wl,--enable-new-dtags,-rpath,$ORIGIN/../lib']);
  return { main: readFileSync(join(dir, 'main')), lib: readFileSync(join(dir, 'libgreet.so')) };
});

function greetImage(libDir: 'app/lib' | 'opt') {
  return built(async (): Promise<ImageSpec> => {
    const { main, lib } = await greet();
    const items: TarItem[] = [
      { name: 'lib64/' },
      { name: 'lib64/ld-linux-x86-64.so.2', content: await fromDynamicOk(`${GNU}/ld-linux-x86-64.so.2`), mode: 0o755 },
      { name: 'lib/' },
      { name: 'lib/x86_64-linux-gnu/' },
      { name: 'lib/x86_64-linux-gnu/libc.so.6', content: await fromDynamicOk(`${GNU}/libc.so.6`), mode: 0o755 },
      { name: 'app/' },
      { name: 'app/bin/' },
      { name: 'app/bin/main', content: main, mode: 0o755 },
      { name: `${libDir}/` },
      { name: `${libDir}/libgreet.so`, content: lib, mode: 0o755 },
    ];
    return { config: { Entrypoint: ['/app/bin/main'] }, layers: [{ items }] };
  });
}

const valid: RuleCase[] = [
  { name: 'dynamic-scratch-ok: loader via three symlink hops, libpcre2 via a symlink (corpus-rules EXPECTED §4)', image: corpusRules('dynamic-scratch-ok') },
  { name: 'httpd found on PATH through /usr/sbin/httpd -> /bin/busybox (root-numeric, EXPECTED §6)', image: corpusRules('root-numeric') },
  ...['setuid-tiny', 'waste-tiny', 'user-missing'].map((name) => ({ name: `${name}: CMD ["sh"] on busybox`, image: corpusRules(name) })),
  { name: 'dynamic-scratch-ok rebuilt here, every piece present', image: lsImage([]) },
  { name: 'a library run directly is still an ELF with a loader (mode 0755)', image: lsImage([], { Entrypoint: [`${GNU}/libpcre2-8.so.0`] }) },
  { name: 'a script whose #! interpreter exists', image: withBusybox({ Cmd: ['/run.sh'] }, [{ name: 'run.sh', content: '#!/bin/busybox sh\necho hi\n', mode: 0o755 }]) },
  { name: 'a relative path is taken from WorkingDir', image: withBusybox({ Cmd: ['./busybox'], WorkingDir: '/bin' }) },
  { name: 'a library found only in its DT_RUNPATH directory ($ORIGIN/../lib)', image: greetImage('app/lib') },
  {
    // ld.so.conf is the image's data: glob characters and regular-expression syntax in an include are only a pattern
    name: 'an ld.so.conf whose includes hold ?, (, [ and +',
    image: lsImage([], undefined, [
      { name: 'etc/' },
      { name: 'etc/ld.so.conf', content: 'include /etc/ld.so.conf.d/?*.conf\ninclude ?\ninclude /etc/(x+[\n' },
      { name: 'etc/ld.so.conf.d/' },
      { name: 'etc/ld.so.conf.d/a.conf', content: '/opt/lib\n' },
    ]),
  },
];

const invalid: InvalidCase[] = [
  {
    name: 'dynamic-scratch-broken misses its loader, then libselinux and libc (corpus-rules EXPECTED §3)',
    image: corpusRules('dynamic-scratch-broken'),
    findings: [
      { path: '/bin/ls', ...entry, layer: 0, message: /^exec \/bin\/ls: no such file or directory — its ELF interpreter \/lib64\/ld-linux-x86-64\.so\.2 is missing/ },
      { path: '/bin/ls', ...entry, message: /loading shared libraries: libselinux\.so\.1: cannot open shared object file/ },
      { path: '/bin/ls', ...entry, message: /loading shared libraries: libc\.so\.6: cannot open shared object file/ },
    ],
  },
  {
    // libselinux (reached first) and libc need the loader as a library too: the one secondary finding names who needs it
    name: 'no loader: the interpreter, and the loader as a library of libselinux',
    image: lsImage(['usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2']),
    findings: [
      { path: '/usr/bin/ls', ...entry, message: /ELF interpreter \/lib64\/ld-linux-x86-64\.so\.2 is missing/ },
      { path: `${GNU}/libselinux.so.1`, ...entry, message: /ld-linux-x86-64\.so\.2: cannot open shared object file/ },
    ],
  },
  {
    name: 'a transitive library: libpcre2, needed by libselinux',
    image: lsImage(['usr/lib/x86_64-linux-gnu/libpcre2-8.so.0.11.2']),
    findings: [
      {
        path: `${GNU}/libselinux.so.1`,
        ...entry,
        message: '/bin/ls: error while loading shared libraries: libpcre2-8.so.0: cannot open shared object file: No such file or directory (needed by /usr/lib/x86_64-linux-gnu/libselinux.so.1)',
      },
    ],
  },
  {
    // Debian's ls needs GLIBC_2.34 of libc.so.6 (readelf -V); renamed GLIBC_2.99 (ELF hash fixed) it is a binary from a
    // newer distribution, and the message is the loader's for it (test/rules/entrypoint-runnable-glibc.test.ts
    // compares it with the real loader's on the Debian fixture)
    name: 'a symbol version libc does not define: GLIBC_2.99 of libc.so.6, needed by ls',
    image: lsImage([], undefined, [], (path, bytes) => (path === 'usr/bin/ls' ? renameNeededVersion(bytes, 'GLIBC_2.34', 'GLIBC_2.99') : bytes)),
    findings: [
      {
        path: '/usr/bin/ls',
        ...entry,
        message: "/bin/ls: /lib/x86_64-linux-gnu/libc.so.6: version `GLIBC_2.99' not found (required by /usr/bin/ls)",
        fix: /defines up to GLIBC_2\.36\b/,
      },
    ],
  },
  {
    name: 'a version the library itself needs: libselinux asks libc for GLIBC_2.99',
    image: lsImage([], undefined, [], (path, bytes) => (path.endsWith('libselinux.so.1') ? renameNeededVersion(bytes, 'GLIBC_2.34', 'GLIBC_2.99') : bytes)),
    findings: [{ path: `${GNU}/libselinux.so.1`, ...entry, message: new RegExp(`version \`GLIBC_2\\.99' not found \\(required by ${GNU}/libselinux\\.so\\.1\\)$`) }],
  },
  { name: 'no command at all', image: withBusybox({}), findings: [{ ...cmd, message: /no command/ }] },
  { name: 'a name not on PATH', image: withBusybox({ Cmd: ['nginx'] }), findings: [{ ...cmd, message: 'exec: "nginx": executable file not found in $PATH' }] },
  { name: 'a directory', image: withBusybox({ Cmd: ['/bin'] }), findings: [{ path: '/bin', ...cmd, message: /is a directory/ }] },
  {
    name: 'no execute bit',
    image: withBusybox({ Cmd: ['/data.txt'] }, [{ name: 'data.txt', content: 'x', mode: 0o644 }]),
    findings: [{ path: '/data.txt', ...cmd, message: /permission denied/, fix: 'chmod +x /data.txt in the layer that adds it' }],
  },
  {
    // findings about a script's #! line name the script, not the config field
    name: 'a script without its #! interpreter',
    image: withBusybox({ Cmd: ['/run.sh'] }, [{ name: 'run.sh', content: '#!/bin/bash\necho hi\n', mode: 0o755 }]),
    findings: [{ path: '/run.sh', message: /#! interpreter \/bin\/bash is missing/ }],
  },
  {
    name: 'neither ELF nor script',
    image: withBusybox({ Cmd: ['/blob'] }, [{ name: 'blob', content: 'not a program', mode: 0o755 }]),
    findings: [{ path: '/blob', ...cmd, message: /exec format error/ }],
  },
  {
    name: 'a library outside its DT_RUNPATH directory: looked for in /app/lib',
    image: greetImage('opt'),
    findings: [{ path: '/app/bin/main', ...entry, message: /libgreet\.so: cannot open shared object file/, fix: /\/app\/lib/ }],
  },
];

ruleCases(entrypointRunnable, { valid, invalid });
