import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { entrypointRunnable } from '../../rules/entrypointRunnable.js';
import { shellFormOnScratch } from '../../rules/shellFormOnScratch.js';
import type { TarItem } from '../helpers/buildArchive.js';
import { BOTH_LAYOUTS, fileFromArchive, findings, RULE_IMAGES, runOnFile, runOnSpec } from '../helpers/rules.js';
import { IMAGES } from '../helpers/shared.js';

const OK = RULE_IMAGES('docker-engine', 'dynamic-scratch-ok');
const busybox = () => fileFromArchive(join(IMAGES, 'corpus', 'docker-engine', 'busybox-base.tar'), '/bin/busybox');

test('shell-form-on-scratch: scratch-shell-cmd cannot start; scratch-json-user and busybox (sh -> busybox) can', async () => {
  for (const layout of ['docker-engine', 'oci-archive', 'docker-archive']) {
    const bad = findings(await runOnFile(shellFormOnScratch, join(IMAGES, 'corpus', layout, 'scratch-shell-cmd.tar')));
    assert.equal(bad.length, 1, layout);
    assert.match(bad[0]!.message, /exec: "\/bin\/sh": stat \/bin\/sh: no such file or directory/);
    assert.equal(bad[0]!.configField, 'config.Cmd');
    assert.deepEqual(findings(await runOnFile(shellFormOnScratch, join(IMAGES, 'corpus', layout, 'scratch-json-user.tar'))), []);
  }
});

test('shell-form-on-scratch: /bin/sh -> busybox resolves; a loop of symlinks and a HEALTHCHECK CMD-SHELL do not', async () => {
  const bb = await busybox();
  const shellCmd = { Cmd: ['/bin/sh', '-c', 'exec server'] };
  const ok = await runOnSpec(shellFormOnScratch, { config: shellCmd, layers: [{ items: [{ name: 'bin/' }, { name: 'bin/busybox', content: bb, mode: 0o755 }, { name: 'bin/sh', type: 'symlink', linkname: 'busybox' }] }] });
  assert.deepEqual(findings(ok), []);
  const viaDir = await runOnSpec(shellFormOnScratch, { config: shellCmd, layers: [{ items: [{ name: 'usr/' }, { name: 'usr/bin/' }, { name: 'usr/bin/busybox', content: bb, mode: 0o755 }, { name: 'bin', type: 'symlink', linkname: 'usr/bin' }, { name: 'usr/bin/sh', type: 'symlink', linkname: '/bin/busybox' }] }] });
  assert.deepEqual(findings(viaDir), [], '/bin -> usr/bin, then an absolute link');
  const loop = findings(await runOnSpec(shellFormOnScratch, { config: shellCmd, layers: [{ items: [{ name: 'bin/' }, { name: 'bin/sh', type: 'symlink', linkname: 'ash' }, { name: 'bin/ash', type: 'symlink', linkname: '/bin/sh' }] }] }));
  assert.match(loop[0]!.message, /\/bin\/sh is a symlink loop/);
  const hc = findings(await runOnSpec(shellFormOnScratch, { config: { Cmd: ['/app'], Healthcheck: { Test: ['CMD-SHELL', 'curl -f localhost'] } }, layers: [{ items: [{ name: 'app', content: 'x', mode: 0o755 }] }] }));
  assert.deepEqual(hc.map((x) => x.configField), ['config.Healthcheck']);
});

test('entrypoint-runnable: dynamic-scratch-broken misses its loader, then libselinux and libc (EXPECTED §3)', async () => {
  for (const layout of BOTH_LAYOUTS) {
    const f = findings(await runOnFile(entrypointRunnable, RULE_IMAGES(layout, 'dynamic-scratch-broken')));
    assert.match(f[0]!.message, /^exec \/bin\/ls: no such file or directory — its ELF interpreter \/lib64\/ld-linux-x86-64\.so\.2 is missing/);
    assert.deepEqual(
      f.slice(1).map((x) => /loading shared libraries: (\S+):/.exec(x.message)![1]),
      ['libselinux.so.1', 'libc.so.6'],
    );
  }
});

test('entrypoint-runnable: dynamic-scratch-ok starts (loader via three symlink hops, libpcre2 via a symlink)', async () => {
  for (const layout of BOTH_LAYOUTS) assert.deepEqual(findings(await runOnFile(entrypointRunnable, RULE_IMAGES(layout, 'dynamic-scratch-ok'))), []);
});

test('entrypoint-runnable: httpd found on PATH through /usr/sbin/httpd -> /bin/busybox (root-numeric), busybox images start', async () => {
  for (const layout of BOTH_LAYOUTS) {
    for (const img of ['root-numeric', 'setuid-tiny', 'waste-tiny', 'user-missing']) {
      assert.deepEqual(findings(await runOnFile(entrypointRunnable, RULE_IMAGES(layout, img))), [], `${layout}/${img}`);
    }
  }
});

async function lsImage(drop: string[], config: Record<string, unknown> = { Entrypoint: ['/bin/ls'] }) {
  const files = ['usr/bin/ls', 'usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2', 'usr/lib/x86_64-linux-gnu/libc.so.6', 'usr/lib/x86_64-linux-gnu/libpcre2-8.so.0.11.2', 'usr/lib/x86_64-linux-gnu/libselinux.so.1'];
  const items: TarItem[] = [{ name: 'usr/' }, { name: 'usr/bin/' }, { name: 'usr/lib/' }, { name: 'usr/lib/x86_64-linux-gnu/' }, { name: 'usr/lib64/' }];
  for (const f of files) if (!drop.includes(f)) items.push({ name: f, content: await fileFromArchive(OK, '/' + f), mode: 0o755 });
  items.push(
    { name: 'bin', type: 'symlink', linkname: 'usr/bin' },
    { name: 'lib', type: 'symlink', linkname: 'usr/lib' },
    { name: 'lib64', type: 'symlink', linkname: 'usr/lib64' },
    { name: 'usr/lib/x86_64-linux-gnu/libpcre2-8.so.0', type: 'symlink', linkname: 'libpcre2-8.so.0.11.2' },
    { name: 'usr/lib64/ld-linux-x86-64.so.2', type: 'symlink', linkname: '/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2' },
  );
  return findings(await runOnSpec(entrypointRunnable, { config, layers: [{ items }] }));
}

test('entrypoint-runnable on a rebuilt dynamic image: the missing piece is named, transitive libraries too', async () => {
  assert.deepEqual(await lsImage([]), []);
  const noLoader = await lsImage(['usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2']);
  assert.match(noLoader[0]!.message, /ELF interpreter \/lib64\/ld-linux-x86-64\.so\.2 is missing/);
  // libselinux (reached first) and libc need the loader as a library too: the secondary finding names who needs it
  assert.deepEqual(noLoader.slice(1).map((x) => /needed by (\S+)\)$/.exec(x.message)?.[1]), ['/usr/lib/x86_64-linux-gnu/libselinux.so.1']);
  const noPcre = await lsImage(['usr/lib/x86_64-linux-gnu/libpcre2-8.so.0.11.2']);
  assert.deepEqual(noPcre.map((x) => x.message), [
    '/bin/ls: error while loading shared libraries: libpcre2-8.so.0: cannot open shared object file: No such file or directory (needed by /usr/lib/x86_64-linux-gnu/libselinux.so.1)',
  ]);
  const notExec = await lsImage([], { Entrypoint: ['/usr/lib/x86_64-linux-gnu/libpcre2-8.so.0'] });
  assert.deepEqual(notExec, [], 'mode 0755 given above: a library run directly is still an ELF with a loader');
});

test('entrypoint-runnable: no command, not on PATH, a directory, no execute bit, a script without its interpreter', async () => {
  const bb = await busybox();
  const spec = (config: Record<string, unknown>, extra: TarItem[] = []) => ({ config, layers: [{ items: [{ name: 'bin/' }, { name: 'bin/busybox', content: bb, mode: 0o755 }, ...extra] }] });
  assert.match(findings(await runOnSpec(entrypointRunnable, spec({})))[0]!.message, /no command/);
  assert.equal(findings(await runOnSpec(entrypointRunnable, spec({ Cmd: ['nginx'] })))[0]!.message, 'exec: "nginx": executable file not found in $PATH');
  assert.match(findings(await runOnSpec(entrypointRunnable, spec({ Cmd: ['/bin'] })))[0]!.message, /is a directory/);
  assert.match(findings(await runOnSpec(entrypointRunnable, spec({ Cmd: ['/data.txt'] }, [{ name: 'data.txt', content: 'x', mode: 0o644 }])))[0]!.message, /permission denied/);
  assert.match(findings(await runOnSpec(entrypointRunnable, spec({ Cmd: ['/run.sh'] }, [{ name: 'run.sh', content: '#!/bin/bash\necho hi\n', mode: 0o755 }])))[0]!.message, /#! interpreter \/bin\/bash is missing/);
  assert.deepEqual(findings(await runOnSpec(entrypointRunnable, spec({ Cmd: ['/run.sh'] }, [{ name: 'run.sh', content: '#!/bin/busybox sh\necho hi\n', mode: 0o755 }]))), []);
  assert.match(findings(await runOnSpec(entrypointRunnable, spec({ Cmd: ['/blob'] }, [{ name: 'blob', content: 'not a program', mode: 0o755 }])))[0]!.message, /exec format error/);
  const rel = findings(await runOnSpec(entrypointRunnable, spec({ Cmd: ['./busybox'], WorkingDir: '/bin' })));
  assert.deepEqual(rel, [], 'a relative path is taken from WorkingDir');
});

test('entrypoint-runnable: a library found only in a DT_RUNPATH directory ($ORIGIN), compiled here with cc', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fathom-elf-'));
  writeFileSync(join(dir, 'greet.c'), 'int greet(void) { return 7; }\n');
  writeFileSync(join(dir, 'main.c'), 'int greet(void);\nint main(void) { return greet(); }\n');
  execFileSync('cc', ['-shared', '-fPIC', '-o', join(dir, 'libgreet.so'), join(dir, 'greet.c')]);
  execFileSync('cc', ['-o', join(dir, 'main'), join(dir, 'main.c'), `-L${dir}`, '-lgreet', '-Wl,--enable-new-dtags,-rpath,$ORIGIN/../lib']);
  const ls = async (p: string) => fileFromArchive(OK, p);
  const runtime: TarItem[] = [
    { name: 'lib64/' },
    { name: 'lib64/ld-linux-x86-64.so.2', content: await ls('/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2'), mode: 0o755 },
    { name: 'lib/' },
    { name: 'lib/x86_64-linux-gnu/' },
    { name: 'lib/x86_64-linux-gnu/libc.so.6', content: await ls('/usr/lib/x86_64-linux-gnu/libc.so.6'), mode: 0o755 },
    { name: 'app/' },
    { name: 'app/bin/' },
    { name: 'app/bin/main', content: readFileSync(join(dir, 'main')), mode: 0o755 },
  ];
  const withLib = [...runtime, { name: 'app/lib/' }, { name: 'app/lib/libgreet.so', content: readFileSync(join(dir, 'libgreet.so')), mode: 0o755 }];
  assert.deepEqual(findings(await runOnSpec(entrypointRunnable, { config: { Entrypoint: ['/app/bin/main'] }, layers: [{ items: withLib }] })), []);
  const elsewhere = [...runtime, { name: 'opt/' }, { name: 'opt/libgreet.so', content: readFileSync(join(dir, 'libgreet.so')), mode: 0o755 }];
  const f = findings(await runOnSpec(entrypointRunnable, { config: { Entrypoint: ['/app/bin/main'] }, layers: [{ items: elsewhere }] }));
  assert.equal(f.length, 1);
  assert.match(f[0]!.message, /libgreet\.so: cannot open shared object file/);
  assert.match(f[0]!.fix, /\/app\/lib/, 'the RUNPATH directory ($ORIGIN/../lib) is where it was looked for');
});
