import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { rootUser } from '../../rules/rootUser.js';
import { userNotFound } from '../../rules/userNotFound.js';
import { BOTH_LAYOUTS, findings, RULE_IMAGES, runOnFile, runOnSpec } from '../helpers/rules.js';
import { IMAGES } from '../helpers/shared.js';

const passwd = { name: 'etc/passwd', content: 'root:x:0:0:root:/root:/bin/sh\ntoor:x:0:0::/:/bin/sh\napp:x:1000:1000::/app:/bin/sh\n' };
const group = { name: 'etc/group', content: 'root:x:0:\napp:x:1000:\n' };
const withUser = (User: string) => ({ config: { User, Cmd: ['sh'] }, layers: [{ items: [{ name: 'etc/' }, passwd, group] }] });

test('root-user: unset (setuid-tiny) and "0:0" (root-numeric) run as root; "1000" (waste-tiny) does not', async () => {
  for (const layout of BOTH_LAYOUTS) {
    assert.match(findings(await runOnFile(rootUser, RULE_IMAGES(layout, 'setuid-tiny')))[0]!.message, /User is not set/);
    assert.match(findings(await runOnFile(rootUser, RULE_IMAGES(layout, 'root-numeric')))[0]!.message, /User is "0:0"/);
    assert.deepEqual(findings(await runOnFile(rootUser, RULE_IMAGES(layout, 'waste-tiny'))), []);
  }
  assert.deepEqual(findings(await runOnFile(rootUser, join(IMAGES, 'corpus', 'oci-archive', 'busybox-tiny.tar'))), [], 'USER web');
});

test('root-user: root, 0, root:<group>, 0:<group>, and a name with uid 0 in /etc/passwd', async () => {
  for (const u of ['root', '0', 'root:app', '0:1000', 'toor', '000']) {
    const f = findings(await runOnSpec(rootUser, withUser(u)));
    assert.equal(f.length, 1, u);
    assert.equal(f[0]!.configField, 'config.User');
  }
  for (const u of ['app', '1000', '1000:0']) assert.deepEqual(findings(await runOnSpec(rootUser, withUser(u))), [], u);
});

test("user-not-found: user-missing cannot start, with the runtime's own message", async () => {
  for (const layout of BOTH_LAYOUTS) {
    const f = findings(await runOnFile(userNotFound, RULE_IMAGES(layout, 'user-missing')));
    assert.equal(f.length, 1);
    assert.equal(f[0]!.message, 'unable to find user app: no matching entries in passwd file');
  }
});

test('user-not-found: numeric ids need no entry; names do; a missing group is its own finding', async () => {
  assert.deepEqual(findings(await runOnSpec(userNotFound, withUser('1234:5678'))), []);
  assert.deepEqual(findings(await runOnSpec(userNotFound, withUser('app:app'))), []);
  assert.equal(findings(await runOnSpec(userNotFound, withUser('ghost'))).length, 1);
  const g = findings(await runOnSpec(userNotFound, withUser('app:staff')));
  assert.deepEqual(g.map((x) => x.message), ['unable to find group staff: no matching entries in group file']);
  const none = findings(await runOnSpec(userNotFound, { config: { User: 'app' }, layers: [{ items: [{ name: 'bin/' }] }] }));
  assert.match(none[0]!.message, /\(the image has no \/etc\/passwd\)/);
});
