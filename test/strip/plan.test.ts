// fathom strip's plan on small images built here with tar-stream (a static busybox, so nothing but the program
// itself is needed): the shell-form refusal and --keep-shell, --why and --plan, -o from stdin, and bad usage.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { dockerArchive, type TarItem } from '../helpers/buildArchive.js';
import { busybox } from '../helpers/realBinaries.js';
import { runCli } from '../helpers/runCli.js';
import { loadFile } from '../helpers/shared.js';

const work = mkdtempSync(join(tmpdir(), 'fathom-strip-plan-'));
after(() => rmSync(work, { recursive: true, force: true }));

async function busyboxImage(name: string, config: Record<string, unknown>, extra: TarItem[] = []): Promise<string> {
  const items: TarItem[] = [
    { name: 'bin/' },
    { name: 'bin/busybox', content: await busybox(), mode: 0o755 },
    { name: 'bin/sh', type: 'symlink', linkname: 'busybox' },
    { name: 'etc/' },
    { name: 'etc/motd', content: 'x'.repeat(5000) },
    ...extra,
  ];
  const file = join(work, `${name}.tar`);
  writeFileSync(file, await dockerArchive([{ layers: [{ items }], tag: `${name}:1`, config }]));
  return file;
}

test('a shell-form command is refused unless --keep-shell; then /bin/sh is kept as the symlink it is', async () => {
  const archive = await busyboxImage('shell', { Cmd: ['/bin/sh', '-c', 'busybox echo hi'] });
  const refused = runCli(['strip', archive, '-o', join(work, 'no.tar')]);
  assert.equal(refused.status, 1);
  assert.match(refused.stderr, /refused: the Cmd is in shell form \(\/bin\/sh -c busybox echo hi\): the stripped image would need \/bin\/sh — keep it with --keep-shell/);

  const out = join(work, 'shell-kept.tar');
  const kept = runCli(['strip', archive, '-o', out, '--keep-shell']);
  assert.equal(kept.status, 0, kept.stderr);
  const img = await loadFile(out);
  const paths = [...img.files.visiblePathIds()].map((p) => img.files.visible(p)!);
  assert.deepEqual(paths.filter((e) => e.kind !== 'dir').map((e) => [e.path, e.kind]).sort(), [['/bin/busybox', 'file'], ['/bin/sh', 'symlink']]);
  assert.deepEqual(img.config.cmd, ['/bin/sh', '-c', 'busybox echo hi']);
});

test('--why names the chain, or says the path is dropped; --plan lists every kept path', async () => {
  const archive = await busyboxImage('why', { Entrypoint: ['sh'] });
  const why = runCli(['strip', archive, '--why', '/bin/busybox']);
  assert.equal(why.status, 0, why.stderr);
  assert.equal(why.stdout, '/bin/busybox ← Entrypoint\n');
  const link = runCli(['strip', archive, '--why', '/bin/sh']);
  assert.equal(link.stdout, '/bin/sh ← symlink on the way to /bin/busybox ← Entrypoint\n');
  const dropped = runCli(['strip', archive, '--why', '/etc/motd']);
  assert.equal(dropped.stdout, '/etc/motd: dropped (5000 bytes): nothing the roots run needs it\n');
  const plan = runCli(['strip', archive, '--plan']);
  assert.equal(plan.status, 0, plan.stderr);
  assert.match(plan.stdout, /^symlink +0 B {2}\/bin\/sh ← symlink on the way to \/bin\/busybox ← Entrypoint$/m);
  assert.match(plan.stdout, /^made dir +0 B {2}\/tmp ← profile dirs$/m);
  assert.match(plan.stdout, /^dir +\S+ B {2}\/bin ← directory of/m);
  assert.match(plan.stdout, /etc\/motd/, 'the summary after the listing names the biggest dropped file');
});

test('-o from stdin needs an archive file: one line, exit 2; --plan from stdin works', async () => {
  const archive = await busyboxImage('stdin', { Entrypoint: ['/bin/busybox'] });
  const bytes = readFileSync(archive);
  const o = runCli(['strip', '-', '-o', join(work, 'x.tar')], { input: bytes });
  assert.equal(o.status, 2);
  assert.match(o.stderr, /^fathom: stdin: strip -o reads the kept files a second time, so it needs an archive file or a registry reference; save the image first/);
  assert.equal(o.stderr.split('\n').length, 2);
  const plan = runCli(['strip', '-', '--plan'], { input: bytes });
  assert.equal(plan.status, 0, plan.stderr);
  assert.match(plan.stdout, /\/bin\/busybox ← Entrypoint/);
  const nothing = runCli(['strip', archive]);
  assert.equal(nothing.status, 2);
  assert.match(nothing.stderr, /give -o FILE for the stripped image, or --plan/);
});

test('the written image is read back and checked: one that fails a start rule the original passes is refused, not written', async () => {
  const passwd = 'root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000::/home/app:/bin/sh\n';
  const archive = await busyboxImage('user', { Entrypoint: ['/bin/busybox', 'true'], User: 'app' }, [
    { name: 'etc/passwd', content: passwd },
    { name: 'etc/group', content: 'root:x:0:\napp:x:1000:\n' },
  ]);
  // --no-nss drops /etc/passwd, where the runtime looks the config's User up: the plan cannot see that, the rules can
  const out = join(work, 'user-stripped.tar');
  const r = runCli(['strip', archive, '-o', out, '--no-nss']);
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stderr, /^refused: the stripped image fails user-not-found, which the original passes: .*app/m);
  assert.match(r.stderr, /^no image written to /m);
  assert.throws(() => readFileSync(out), /ENOENT/);
  assert.deepEqual(readdirSync(work).filter((f) => f.startsWith('.fathom-strip-')), [], 'no work files left');

  const ok = runCli(['strip', archive, '-o', out]);
  assert.equal(ok.status, 0, ok.stderr);
  assert.match(ok.stderr, /^wrote .*; read back, it fails none of entrypoint-runnable, shell-form-on-scratch, user-not-found that the original passes$/m);
});

/** apk's installed db as apk-tools writes it: one block per package, `F:` a directory, `R:` a file in the last one. */
const APK_DB = `C:Q1oJ2R8ORnGvWDvBR2hrCjYVsFAXc=
P:musl
V:1.2.4_git20230717-r4
A:x86_64
S:407278
I:662528
T:the musl c library (libc) implementation
U:https://musl.libc.org/
L:MIT
o:musl
m:Timo Teräs <timo.teras@iki.fi>
t:1705084140
c:5c2fc3bf1d5e8a9c1c1d1a3e4c7fd36a6b8c53dc
F:lib
R:ld-musl-x86_64.so.1
a:0:0:755
Z:Q1b8kXL3LAf7cQh2DGVx2ugQzbsuE=
R:libc.musl-x86_64.so.1
a:0:0:777
Z:Q17yJ3JFNypA4mxhJJr0ou6CzsJVI=

C:Q1Cu4xA7dBqsNDRbhgrhHZu4KyAqA=
P:busybox
V:1.36.1-r15
A:x86_64
S:510069
I:955392
T:Size optimized toolbox of many common UNIX utilities
U:https://busybox.net/
L:GPL-2.0-only
o:busybox
m:Sören Tempel <soeren+alpine@soeren-tempel.net>
t:1706045330
c:3d1b6ad51b7d7c4ad8f1eab4e8bd9b7c7a7e3c8b
D:so:libc.musl-x86_64.so.1
p:cmd:busybox=1.36.1-r15
r:busybox-initscripts
F:bin
R:busybox
a:0:0:755
Z:Q1HCx3DdF8mSoNk5VVYbWuxfKlMrQ=
F:etc
R:securetty
Z:Q1ZkNyTThFUOhmXyDM5L1Dx3Q9H4c=
R:udhcpd.conf
Z:Q1d4hAl8zNkZ4OVq0bpHcYVdfgLuU=
F:etc/logrotate.d
R:acpid
Z:Q1TylyCINVmnS+A/Tead4vZhE7Bks=
F:etc/network
F:etc/network/if-down.d
F:etc/network/if-post-down.d
F:etc/network/if-post-up.d
F:etc/network/if-pre-down.d
F:etc/network/if-pre-up.d
F:etc/network/if-up.d
R:dad
a:0:0:775
Z:Q1ORf+lPRKuYgdkBBcKoevR1t60Q4=
F:sbin
F:tmp
M:0:0:1777
F:usr
F:usr/sbin
F:usr/share
F:usr/share/udhcpc
R:default.script
a:0:0:755
Z:Q1HWpG3eQD8Uoi4mks2E3SSvOAUhY=
F:var
F:var/cache
F:var/cache/misc
F:var/lib
F:var/lib/udhcpd

C:Q1J5Lw9LxxZr8ZIgqWz+0oXAP2fbA=
P:busybox-binsh
V:1.36.1-r15
A:x86_64
S:1539
I:1
T:busybox ash /bin/sh
U:https://busybox.net/
L:GPL-2.0-only
o:busybox
m:Sören Tempel <soeren+alpine@soeren-tempel.net>
t:1706045330
c:3d1b6ad51b7d7c4ad8f1eab4e8bd9b7c7a7e3c8b
D:busybox=1.36.1-r15
p:/bin/sh cmd:sh=1.36.1-r15
F:bin
R:sh
a:0:0:777
Z:Q1pcfTfDNEbNKQc2s1tia7da05M8Q=

C:Q1b4nbUgJu1Nxtp5DhYYtM5VV0x54=
P:alpine-baselayout-data
V:3.4.3-r2
A:x86_64
T:Alpine base dir structure and init scripts
F:etc
R:group
Z:Q1oJ16xWp5hL7y+hnG+l/CgnPgtQE=
R:passwd
Z:Q1TchuuLUfur0izvfZQZxgN4LJhK8=
`;

test('--package NAME on an Alpine image keeps what apk installed for it (F: directories, R: files), not its neighbours', async () => {
  const files: TarItem[] = [
    { name: 'lib/' },
    { name: 'lib/ld-musl-x86_64.so.1', content: 'musl loader\n', mode: 0o755 },
    { name: 'lib/libc.musl-x86_64.so.1', type: 'symlink', linkname: 'ld-musl-x86_64.so.1' },
    { name: 'lib/apk/' },
    { name: 'lib/apk/db/' },
    { name: 'lib/apk/db/installed', content: APK_DB },
    { name: 'etc/securetty', content: 'console\n' },
    { name: 'etc/udhcpd.conf', content: 'start 192.168.0.20\n' },
    { name: 'etc/logrotate.d/' },
    { name: 'etc/logrotate.d/acpid', content: '/var/log/acpid.log {}\n' },
    { name: 'etc/network/' },
    ...['if-down.d', 'if-post-down.d', 'if-post-up.d', 'if-pre-down.d', 'if-pre-up.d', 'if-up.d'].map((d) => ({ name: `etc/network/${d}/` })),
    { name: 'etc/network/if-up.d/dad', content: '#!/bin/sh\n', mode: 0o775 },
    { name: 'etc/passwd', content: 'root:x:0:0:root:/root:/bin/sh\n' },
    { name: 'etc/group', content: 'root:x:0:root\n' },
    { name: 'etc/apk/' },
    { name: 'etc/apk/world', content: 'busybox\n' },
    { name: 'sbin/' },
    { name: 'tmp/', mode: 0o1777 },
    { name: 'usr/' },
    { name: 'usr/sbin/' },
    { name: 'usr/share/' },
    { name: 'usr/share/udhcpc/' },
    { name: 'usr/share/udhcpc/default.script', content: '#!/bin/sh\n', mode: 0o755 },
    { name: 'var/' },
    { name: 'var/cache/' },
    { name: 'var/cache/misc/' },
    { name: 'var/lib/' },
    { name: 'var/lib/udhcpd/' },
  ];
  const archive = await busyboxImage('alpine', { Entrypoint: ['/bin/busybox', 'true'] }, files);
  const out = join(work, 'alpine-stripped.tar');
  const r = runCli(['strip', archive, '-o', out, '--package', 'busybox']);
  assert.equal(r.status, 0, r.stderr);
  const img = await loadFile(out);
  const kept = [...img.files.visiblePathIds()].map((p) => img.files.visible(p)!).map((e) => `${e.kind} ${e.path}`).sort();
  // hand-checked against APK_DB's busybox block: its F: directories and R: files (and the parents they sit in), the
  // /tmp the dirs profile keeps, and /bin/sh (the helper's link to busybox) as the #! interpreter of its two scripts;
  // not musl's loader, busybox-binsh's /bin/sh, the db or /etc/apk/world
  assert.deepEqual(kept, [
    'dir /bin', 'dir /etc', 'dir /etc/logrotate.d', 'dir /etc/network', 'dir /etc/network/if-down.d', 'dir /etc/network/if-post-down.d',
    'dir /etc/network/if-post-up.d', 'dir /etc/network/if-pre-down.d', 'dir /etc/network/if-pre-up.d', 'dir /etc/network/if-up.d',
    'dir /sbin', 'dir /tmp', 'dir /usr', 'dir /usr/sbin', 'dir /usr/share', 'dir /usr/share/udhcpc',
    'dir /var', 'dir /var/cache', 'dir /var/cache/misc', 'dir /var/lib', 'dir /var/lib/udhcpd',
    'file /bin/busybox', 'file /etc/logrotate.d/acpid', 'file /etc/network/if-up.d/dad', 'file /etc/securetty', 'file /etc/udhcpd.conf',
    'file /usr/share/udhcpc/default.script', 'symlink /bin/sh',
  ]);
  const why = runCli(['strip', archive, '--package', 'busybox', '--why', '/etc/securetty']);
  assert.equal(why.stdout, '/etc/securetty ← --package busybox\n');
  const sh = runCli(['strip', archive, '--package', 'busybox', '--why', '/bin/sh']);
  // a link's chain goes through the file it leads to (whose own reason is the Entrypoint)
  assert.equal(sh.stdout, '/bin/sh ← symlink on the way to /bin/busybox ← Entrypoint\n');
  const missing = runCli(['strip', archive, '--package', 'busybox-extras', '--plan']);
  assert.equal(missing.status, 1);
  assert.match(missing.stderr + missing.stdout, /refused: --package busybox-extras: no such package in the image's dpkg lists \(\/var\/lib\/dpkg\/info\) or apk db/);
});

test("--package finds a package past the first 256 KiB of apk's db (a big image's db runs to megabytes)", async () => {
  // a first block naming 20,000 files (about 600 KiB of db, as python3's and its neighbours' do), then busybox's
  const filler = ['P:py3-filler', 'V:1.0-r0', 'F:usr/lib/python3.11/site-packages/filler', ...Array.from({ length: 20000 }, (_, i) => `R:module_${i}.py\nZ:Q1HCx3DdF8mSoNk5VVYbWuxfKlMrQ=`)].join('\n');
  const db = `${filler}\n\nP:busybox\nV:1.36.1-r15\nF:etc\nR:securetty\nZ:Q1ZkNyTThFUOhmXyDM5L1Dx3Q9H4c=\n`;
  assert.ok(Buffer.byteLength(db) > 600 << 10);
  const archive = await busyboxImage('alpine-big', { Entrypoint: ['/bin/busybox', 'true'] }, [
    { name: 'lib/' }, { name: 'lib/apk/' }, { name: 'lib/apk/db/' }, { name: 'lib/apk/db/installed', content: db }, { name: 'etc/securetty', content: 'console\n' },
  ]);
  const why = runCli(['strip', archive, '--package', 'busybox', '--why', '/etc/securetty']);
  assert.equal(why.stdout, '/etc/securetty ← --package busybox\n', why.stderr);
});
