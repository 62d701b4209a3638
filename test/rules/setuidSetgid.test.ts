import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setuidSetgid } from '../../rules/setuidSetgid.js';
import { BOTH_LAYOUTS, findings, RULE_IMAGES, runOnFile, runOnSpec } from '../helpers/rules.js';

test('setuid-tiny (corpus-rules EXPECTED §1): exactly su-copy and sg-copy, from layer 1, in both builds', async () => {
  for (const layout of BOTH_LAYOUTS) {
    const f = findings(await runOnFile(setuidSetgid, RULE_IMAGES(layout, 'setuid-tiny')));
    assert.deepEqual(f.map((x) => x.path), ['/usr/local/bin/sg-copy', '/usr/local/bin/su-copy'], layout);
    assert.match(f[0]!.message, /setgid \(mode 2755/);
    assert.match(f[1]!.message, /setuid \(mode 4755/);
    assert.deepEqual(f.map((x) => x.layer!.index), [1, 1]);
    assert.equal(f[0]!.layer!.base, false);
  }
});

test('a bit removed by a later layer, a file deleted later and a setgid directory are not reported', async () => {
  const f = findings(
    await runOnSpec(setuidSetgid, {
      layers: [
        { items: [{ name: 'bin/' }, { name: 'bin/a', content: 'a', mode: 0o4755 }, { name: 'bin/b', content: 'b', mode: 0o2755 }, { name: 'bin/c', content: 'c', mode: 0o6755 }, { name: 'shared/', mode: 0o2775 }] },
        { items: [{ name: 'bin/' }, { name: 'bin/a', content: 'a', mode: 0o755 }, { name: 'bin/.wh.b', content: '' }] },
      ],
    }),
  );
  assert.deepEqual(f.map((x) => [x.path, x.fix]), [['/bin/c', 'chmod u-s,g-s /bin/c in the layer that adds it, or remove it']]);
});
