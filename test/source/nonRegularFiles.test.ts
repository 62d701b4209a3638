import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI, cliEnv } from '../helpers/runCli.js';
import { IMAGES } from '../helpers/shared.js';

const ARCHIVE = join(IMAGES, 'corpus', 'docker-archive', 'busybox-tiny.tar');

/** fathom's --json of the archive read as a plain file: what a pipe or a FIFO of the same bytes must give. */
function jsonOf(args: string[], shell?: string): { status: number | null; stderr: string; json: Record<string, unknown> | undefined } {
  const r = shell
    ? spawnSync('sh', ['-c', shell], { timeout: 60_000, env: cliEnv({ CLI, NODE: process.execPath }) })
    : spawnSync(process.execPath, [CLI, ...args], { timeout: 60_000, env: cliEnv() });
  const out = r.stdout.toString();
  return { status: r.status, stderr: r.stderr.toString(), json: r.status === 0 ? (JSON.parse(out) as Record<string, unknown>) : undefined };
}

const withoutSource = (j: Record<string, unknown> | undefined) => {
  const { source: _s, ...rest } = (j ?? {}) as { source?: unknown };
  void _s;
  return rest;
};

test('/dev/stdin fed by a pipe is read once, as `-` is: the same JSON as the file', () => {
  const file = jsonOf(['--format', 'json', ARCHIVE]);
  assert.equal(file.status, 0, file.stderr);
  const piped = jsonOf([], `cat "${ARCHIVE}" | "$NODE" "$CLI" --format json /dev/stdin`);
  assert.equal(piped.status, 0, `exit 0 (before: cannot re-read the blob for its digest, ESPIPE): ${piped.stderr}`);
  assert.deepEqual(withoutSource(piped.json), withoutSource(file.json));
});

test('a FIFO holding a valid archive is analysed, not waited on forever', async () => {
  const fifo = join(mkdtempSync(join(tmpdir(), 'fathom-fifo-')), 'image.fifo');
  assert.equal(spawnSync('mkfifo', [fifo]).status, 0);
  const writer = spawn('sh', ['-c', `cat "${ARCHIVE}" > "${fifo}"`], { stdio: 'ignore' });
  const child = spawn(process.execPath, [CLI, '--format', 'json', fifo], { stdio: ['ignore', 'pipe', 'pipe'], env: cliEnv() });
  const out: Buffer[] = [];
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => out.push(c));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  // a hang guard, not a measurement: the analysis takes well under a second
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  clearTimeout(timer);
  writer.kill();
  assert.equal(code, 0, `exit 0 (before: the digest worker re-opened the FIFO and blocked): ${stderr}`);
  const json = JSON.parse(Buffer.concat(out).toString()) as { layer?: unknown[] };
  assert.ok(Array.isArray(json.layer) && json.layer.length > 0, 'the layers were read');
  assert.deepEqual(withoutSource(json), withoutSource(jsonOf(['--format', 'json', ARCHIVE]).json));
});

test('an archive file whose read fails early is closed when the load throws, not when the collector runs', async () => {
  const { readdirSync, readFileSync, readlinkSync, writeFileSync } = await import('node:fs');
  const { loadImage } = await import('../../src/archive/loadImage.js');
  const { openArchiveFile } = await import('../../src/source/openArchive.js');
  const bad = join(mkdtempSync(join(tmpdir(), 'fathom-close-')), 'bad.tar');
  // a real archive whose first member's header is broken: the read fails in its first block, 2 MB short of the end
  const good = readFileSync(ARCHIVE);
  writeFileSync(bad, Buffer.concat([Buffer.alloc(512, 0x41), good.subarray(512)]));
  // descriptors of this process open on the archive (other tests' pipes come and go meanwhile)
  const open = () =>
    readdirSync('/proc/self/fd').filter((fd) => {
      try {
        return readlinkSync(`/proc/self/fd/${fd}`) === bad;
      } catch {
        return false;
      }
    }).length;
  const failedLoad = async () => {
    const source = await openArchiveFile(bad);
    await assert.rejects(loadImage(source.chunks, bad, { defaultPlatform: 'linux/amd64', filePath: bad }), /bad\.tar/);
  };
  for (let i = 0; i < 5; i++) await failedLoad();
  // closing is asynchronous (the stream's close follows its destroy); without the fix all five stay open
  await new Promise((resolve) => setTimeout(resolve, 200));
  assert.equal(open(), 0, 'no descriptor left open on the archive');
});
