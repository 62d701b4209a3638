// Installed packages read while the layers stream: dpkg's status of the real Debian fixtures against dpkg-query on
// the unpacked images, the parser on split chunks, and Debian's version order against dpkg --compare-versions.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { installedPackages } from '../../src/analysis/packages.js';
import { PackageDbReader } from '../../src/layer/packageDb.js';
import { compareVersions } from '../../src/diff/versionOrder.js';
import { debianFixture } from '../helpers/debianFixture.js';
import { which } from '../helpers/engines.js';
import { runCli } from '../helpers/runCli.js';
import { loadFile } from '../helpers/shared.js';

const debian = debianFixture();

/** dpkg-query over the image's own database, in the rootfs podman mounted: `name version` of each installed package. */
async function dpkgQuery(archive: string): Promise<string[]> {
  const image = await debian.podman.load(archive);
  const rootfs = (await debian.podman.run(['image', 'mount', image.Id])).trim();
  const out = execFileSync('dpkg-query', ['--admindir', join(rootfs, 'var/lib/dpkg'), '-W', '-f', '${db:Status-Abbrev}|${Package}|${Version}\n'], { encoding: 'utf8' });
  return out
    .split('\n')
    .filter((l) => l.startsWith('ii'))
    .map((l) => l.split('|').slice(1).join(' '))
    .sort();
}

test('the packages of the Debian fixtures are what dpkg-query reads from the same images', async (t) => {
  if (!debian.needs(t)) return;
  for (const archive of [debian.images.bash, debian.images.nginx]) {
    const found = installedPackages((await loadFile(archive)).files);
    assert.equal(found?.manager, 'dpkg');
    assert.deepEqual(found!.sources, ['/var/lib/dpkg/status']);
    const ours = found!.packages.map((p) => `${p.name} ${p.version}`).sort();
    assert.deepEqual(ours, await dpkgQuery(archive));
    assert.ok(ours.length > 50, `${ours.length} packages`);
  }
});

test('fathom diff names the packages nginx adds over the bash image', async (t) => {
  if (!debian.needs(t)) return;
  const out = join(mkdtempSync(join(tmpdir(), 'fathom-packages-')), 'diff.json');
  const r = runCli(['diff', debian.images.bash, debian.images.nginx, '--json', out]);
  assert.equal(r.status, 0, r.stderr);
  const d = JSON.parse(readFileSync(out, 'utf8')) as { packages: { added: Array<{ name: string; version: string }>; removed: unknown[]; changed: unknown[] } };
  const before = new Set(await dpkgQuery(debian.images.bash));
  const expected = (await dpkgQuery(debian.images.nginx)).filter((p) => !before.has(p));
  assert.deepEqual(d.packages.added.map((p) => `${p.name} ${p.version}`).sort(), expected);
  assert.ok(expected.some((p) => p.startsWith('nginx ')));
  assert.deepEqual(d.packages.removed, []);
});

test('the streaming reader: stanzas split anywhere, CRLF, continuation lines, packages not installed left out', () => {
  const text =
    'Package: a\nStatus: install ok installed\nVersion: 1.0-1\nDescription: one\n more text\n Package: not-a-field\n\n' +
    'Package: gone\nStatus: deinstall ok config-files\nVersion: 2\n\n' +
    'Package: half\r\nStatus: install ok half-installed\r\nVersion: 3\r\n\r\n' +
    'Package: b\nStatus: install ok installed\nArchitecture: amd64\nVersion: 1:2.3~rc1-4\n';
  const whole = new PackageDbReader('dpkg');
  whole.update(Buffer.from(text));
  const expected = [{ name: 'a', version: '1.0-1' }, { name: 'b', version: '1:2.3~rc1-4', arch: 'amd64' }];
  assert.deepEqual(whole.finish(), expected);
  const bytes = Buffer.from(text);
  for (const size of [1, 3, 7]) {
    const r = new PackageDbReader('dpkg');
    for (let i = 0; i < bytes.length; i += size) r.update(bytes.subarray(i, i + size));
    assert.deepEqual(r.finish(), expected, `chunks of ${size}`);
  }
  const apk = new PackageDbReader('apk');
  apk.update(Buffer.from('C:Q1abc=\nP:musl\nV:1.2.4-r2\nA:x86_64\nT:the C library\n\nP:zlib\nV:1.3-r0\n'));
  assert.deepEqual(apk.finish(), [{ name: 'musl', version: '1.2.4-r2', arch: 'x86_64' }, { name: 'zlib', version: '1.3-r0' }]);
});

test("Debian's version order agrees with dpkg --compare-versions", (t) => {
  if (!which('dpkg')) return t.skip('dpkg is not installed');
  const pairs = [
    ['1.0', '1.0'], ['1.0', '1.1'], ['1.0~rc1', '1.0'], ['1.0', '1.0+deb12u1'], ['1:0.9', '2.0'], ['2.36-9', '2.36-9+deb12u4'],
    ['1.2.3', '1.2.10'], ['1.0a', '1.0'], ['1.0-1', '1.0-1~bpo1'], ['0:1.0', '1.0'], ['7.88.1-10', '7.88.1-10+deb12u5'], ['1.36.1-r5', '1.36.0-r0'],
    ['1.2.4-r2', '1.2.4-r3'], ['9.2p1-2', '9.2p1-2+deb12u3'], ['1.0.0', '1.0'], ['3.0.11-1~deb12u2', '3.0.11-1'], ['a', 'b'], ['1~~', '1~'],
  ];
  for (const [a, b] of pairs) {
    const lt = spawnSync('dpkg', ['--compare-versions', a!, 'lt', b!]).status === 0;
    const eq = spawnSync('dpkg', ['--compare-versions', a!, 'eq', b!]).status === 0;
    const want = lt ? -1 : eq ? 0 : 1;
    assert.equal(Math.sign(compareVersions(a!, b!)) || 0, want, `${a} vs ${b}`);
    assert.equal(Math.sign(compareVersions(b!, a!)) || 0, -want || 0, `${b} vs ${a}`);
  }
});
