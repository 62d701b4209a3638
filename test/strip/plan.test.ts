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
  assert.match(o.stderr, /^fathom: stdin: strip -o reads the kept files from the archive a second time, so it needs an archive file; save the image first/);
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
