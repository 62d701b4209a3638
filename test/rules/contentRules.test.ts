import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { duplicateFiles } from '../../rules/duplicateFiles.js';
import { emptyPassword } from '../../rules/emptyPassword.js';
import { packageCache } from '../../rules/packageCache.js';
import { secretFiles } from '../../rules/secretFiles.js';
import { worldWritable } from '../../rules/worldWritable.js';
import { BOTH_LAYOUTS, findings, RULE_IMAGES, runOnFile, runOnSpec } from '../helpers/rules.js';
import { DIVE_FIXTURE, IMAGES } from '../helpers/shared.js';

test('package-cache: waste-tiny leaves 512000 bytes of apk cache and 98504 of npm cache (EXPECTED §2)', async () => {
  for (const layout of BOTH_LAYOUTS) {
    const f = findings(await runOnFile(packageCache, RULE_IMAGES(layout, 'waste-tiny')));
    assert.deepEqual(f.map((x) => [x.path, x.bytes]), [['/var/cache/apk', 512000], ['/root/.npm/_cacache', 98504]], layout);
    assert.match(f[0]!.fix, /apk add --no-cache/);
  }
  assert.deepEqual(findings(await runOnFile(packageCache, RULE_IMAGES('docker-engine', 'setuid-tiny'))), []);
});

test('package-cache: apt lists cleaned in a later layer are not in the final image', async () => {
  const lists = { name: 'var/lib/apt/lists/deb.debian.org_dists_bookworm_InRelease', content: 'x'.repeat(1000) };
  const left = findings(await runOnSpec(packageCache, { layers: [{ items: [lists] }] }));
  assert.deepEqual(left.map((x) => [x.path, x.bytes]), [['/var/lib/apt/lists', 1000]]);
  const cleaned = findings(await runOnSpec(packageCache, { layers: [{ items: [lists] }, { items: [{ name: 'var/lib/apt/.wh.lists', content: '' }] }] }));
  assert.deepEqual(cleaned, []);
});

test('secret-files: a private key found by its content whatever its name, and credential files by name', async () => {
  const key = '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n';
  const f = findings(
    await runOnSpec(secretFiles, {
      layers: [
        {
          items: [
            { name: 'app/' },
            { name: 'app/config.bin', content: key },
            { name: 'app/.env', content: 'DB_PASSWORD=hunter2\n' },
            { name: 'root/.aws/credentials', content: '[default]\naws_secret_access_key=x\n' },
            { name: 'app/readme.txt', content: 'see -----BEGIN PUBLIC KEY----- below' },
            { name: 'etc/ssl/certs/ca.pem', content: '-----BEGIN CERTIFICATE-----\n' },
          ],
        },
      ],
    }),
  );
  assert.deepEqual(f.map((x) => x.path), ['/app/.env', '/app/config.bin', '/root/.aws/credentials']);
  assert.match(f[1]!.message, /holds a private key \(-----BEGIN OPENSSH PRIVATE KEY-----\)/);
});

test('secret-files: a key deleted in a later layer is gone from the final image (its bytes are waste, not a finding here)', async () => {
  const f = findings(await runOnSpec(secretFiles, { layers: [{ items: [{ name: 'id_rsa', content: '-----BEGIN RSA PRIVATE KEY-----\nx\n' }] }, { items: [{ name: '.wh.id_rsa', content: '' }] }] }));
  assert.deepEqual(f, []);
});

test("empty-password: busybox's root has an empty password field (dive's fixture); locked accounts do not", async () => {
  const f = findings(await runOnFile(emptyPassword, DIVE_FIXTURE));
  assert.deepEqual(f.map((x) => x.message), ['user root has an empty password in /etc/shadow']);
  assert.equal(f[0]!.layer!.index, 0);
  assert.equal(f[0]!.layer!.base, true);
  const locked = findings(await runOnSpec(emptyPassword, { layers: [{ items: [{ name: 'etc/' }, { name: 'etc/shadow', content: 'root:!:1::::::\napp:*:1::::::\n' }] }] }));
  assert.deepEqual(locked, []);
});

test('world-writable: the 0777 file of links-tiny; /tmp is exempt', async () => {
  const f = findings(await runOnFile(worldWritable, join(IMAGES, 'corpus', 'docker-engine', 'links-tiny.tar')));
  assert.ok(f.length >= 1);
  for (const x of f) assert.match(x.message, /mode 0?[0-7]*[2367]\)$/);
  const tmp = findings(await runOnSpec(worldWritable, { layers: [{ items: [{ name: 'tmp/', mode: 0o1777 }, { name: 'tmp/x', content: 'x', mode: 0o666 }, { name: 'srv/' }, { name: 'srv/y', content: 'y', mode: 0o646 }] }] }));
  assert.deepEqual(tmp.map((x) => x.path), ['/srv/y']);
});

test('duplicate-files: identical content at several final paths, with the bytes one copy would save', async () => {
  for (const layout of BOTH_LAYOUTS) {
    const f = findings(await runOnFile(duplicateFiles, RULE_IMAGES(layout, 'setuid-tiny')));
    // two busybox copies (su-copy, sg-copy) beside /bin/busybox: 2 x 1982256 bytes (EXPECTED §1)
    assert.equal(f[0]!.bytes, 2 * 1982256);
    assert.match(f[0]!.message, /^3 identical copies of 1982256 bytes: \/bin\/busybox, \/usr\/local\/bin\/sg-copy, \/usr\/local\/bin\/su-copy/);
  }
  const same = Buffer.alloc(5000, 1);
  const f = findings(await runOnSpec(duplicateFiles, { layers: [{ items: [{ name: 'a', content: same }, { name: 'b', content: same }, { name: 'c', content: Buffer.alloc(5000, 2) }, { name: 'small1', content: 'x' }, { name: 'small2', content: 'x' }] }] }));
  assert.deepEqual(f.map((x) => [x.path, x.bytes]), [['/a', 5000]]);
});
