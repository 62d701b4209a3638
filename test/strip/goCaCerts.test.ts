// A Go program carries its own TLS (no libssl in its closure) and verifies servers against the system's CA store:
// the ca-certs profile switches on for it. Built for real: Debian's Go (golang-go, .ci/run installs it) compiles a
// static crypto/tls client; tar-stream puts it in a one-layer image with a CA store holding a test CA (openssl);
// the stripped archive is loaded by podman and the client run in a chroot against a TLS server of the test.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { dockerArchive } from '../helpers/buildArchive.js';
import { chrootRun, freePort } from '../helpers/chroot.js';
import { which } from '../helpers/engines.js';
import { PrivatePodman } from '../helpers/privatePodman.js';
import { runCliAsync } from '../helpers/runCli.js';
import { makeTestCa, type TestCa } from '../helpers/testCa.js';

const unavailable = process.getuid?.() !== 0 ? 'chroot and podman need root' : undefined;
const work = mkdtempSync(join(tmpdir(), 'fathom-strip-go-'));
let podman: PrivatePodman;
let archive: string;
let ca: TestCa;

const PROGRAM = `package main

import (
	"crypto/tls"
	"fmt"
	"os"
)

func main() {
	c, err := tls.Dial("tcp", os.Args[1], &tls.Config{})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Println("verified", c.ConnectionState().PeerCertificates[0].Subject.CommonName)
	c.Close()
}
`;

before(
  async () => {
    if (unavailable) return;
    if (!which('go')) throw new Error('this test needs Go (Debian golang-go; .ci/run installs it)');
    podman = new PrivatePodman();
    ca = makeTestCa(work);
    writeFileSync(join(work, 'main.go'), PROGRAM);
    const env = { ...process.env, GOCACHE: join(work, 'go-cache'), GO111MODULE: 'off', CGO_ENABLED: '0' };
    execFileSync('go', ['build', '-o', join(work, 'tls-go'), join(work, 'main.go')], { env, cwd: work });
    const items = [
      { name: 'app/' },
      { name: 'app/tls-go', content: readFileSync(join(work, 'tls-go')), mode: 0o755 },
      { name: 'etc/' },
      { name: 'etc/ssl/' },
      { name: 'etc/ssl/certs/' },
      { name: 'etc/ssl/certs/ca-certificates.crt', content: readFileSync(ca.caCert) },
      { name: 'usr/' },
      { name: 'usr/share/' },
      { name: 'usr/share/README', content: 'nothing the program reads\n' },
    ];
    archive = join(work, 'go.tar');
    writeFileSync(archive, await dockerArchive([{ layers: [{ items }], tag: 'fathom-test/tls-go:1', config: { Entrypoint: ['/app/tls-go'] } }]));
  },
  { timeout: 10 * 60 * 1000 },
);
after(async () => {
  await podman?.close();
  rmSync(work, { recursive: true, force: true });
});

test('a Go program in the closure switches ca-certs on: the stripped image verifies the server; --no-ca-certs fails as Go does', async (t) => {
  if (unavailable) return t.skip(unavailable);
  const port = await freePort();
  const server: Server = createServer({ key: readFileSync(ca.serverKey), cert: readFileSync(ca.serverCert) }, (_req, res) => res.end('ok\n'));
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  const get = async (args: string[]) => {
    const out = join(work, `out-${args.length}.tar`);
    const r = await runCliAsync(['strip', archive, '-o', out, ...args]);
    assert.equal(r.status, 0, r.stderr);
    const { rootfs } = await podman.loadAndUnpack(out);
    return { stderr: r.stderr, run: await chrootRun(rootfs, ['/app/tls-go', `127.0.0.1:${port}`]) };
  };
  try {
    const on = await get([]);
    assert.match(on.stderr, /^profile ca-certs: on — \/app\/tls-go \(a Go program: its TLS verifies against the system's CA store\) is in the closure; kept \d+ paths$/m);
    assert.deepEqual([on.run.status, on.run.stdout], [0, 'verified 127.0.0.1\n'], on.run.stderr);

    const off = await get(['--no-ca-certs']);
    assert.match(off.stderr, /^profile ca-certs: off \(--no-ca-certs\)/m);
    assert.equal(off.run.status, 1);
    assert.match(off.run.stderr, /x509: certificate signed by unknown authority/);
  } finally {
    server.close();
  }
});
