import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Analysis } from '../../src/analysis/analyzeImage.js';
import { gateConfigFrom } from '../../src/ci/gateConfig.js';
import { thresholdChecks } from '../../src/ci/thresholdChecks.js';
import { parseRatio, parseSize } from '../../src/ci/thresholdValue.js';
import { ConfigError } from '../../src/errors.js';

const size = (v: unknown) => {
  const t = parseSize('highestWastedBytes', v);
  return t.enabled ? t.value : 'disabled';
};

test('sizes in SI and IEC units, and as dive reads 20Mb (go-humanize is case-insensitive)', () => {
  assert.equal(size('20MB'), 20_000_000);
  assert.equal(size('20MiB'), 20_971_520);
  assert.equal(size('20Mb'), 20_000_000);
  assert.equal(size('20mb'), 20_000_000);
  assert.equal(size('1.5GB'), 1_500_000_000);
  assert.equal(size('2KiB'), 2048);
  assert.equal(size('3kb'), 3000);
  assert.equal(size('32025'), 32025);
  assert.equal(size(32025), 32025);
  assert.equal(size('1,000 B'), 1000);
  assert.equal(size('7 G'), 7e9);
  assert.equal(size('1TiB'), 1024 ** 4);
});

test('disabled forms: disabled, off, false (string or YAML boolean), empty, null', () => {
  for (const v of ['disabled', 'off', 'false', 'OFF', '', '  ', false, null]) {
    assert.equal(size(v), 'disabled', JSON.stringify(v));
    assert.equal(parseRatio('lowestEfficiency', v).enabled, false, JSON.stringify(v));
  }
});

test('values that cannot be read are configuration errors naming the key and the value', () => {
  assert.throws(() => parseSize('highestWastedBytes', '20 parsecs'), (e: Error) => e instanceof ConfigError && /rules\.highestWastedBytes: cannot read "20 parsecs"/.test(e.message));
  assert.throws(() => parseSize('highestWastedBytes', 'MB'), /cannot read "MB"/);
  assert.throws(() => parseRatio('lowestEfficiency', 'high'), /rules\.lowestEfficiency: cannot read "high" as a number/);
  assert.throws(() => parseRatio('highestUserWastedPercent', '10%'), /highestUserWastedPercent: cannot read "10%"/);
});

test("defaults are dive's: 0.9, disabled, 0.1; absent (commented-out) and empty keys take them, as in dive", () => {
  const d = gateConfigFrom({}, {});
  assert.deepEqual(d.lowestEfficiency, { enabled: true, value: 0.9, raw: '0.9' });
  assert.deepEqual(d.highestWastedBytes, { enabled: false });
  assert.deepEqual(d.highestUserWastedPercent, { enabled: true, value: 0.1, raw: '0.1' });
  const empty = gateConfigFrom({ rules: { lowestEfficiency: null, highestUserWastedPercent: '' } }, {});
  assert.deepEqual(empty.lowestEfficiency, { enabled: true, value: 0.9, raw: '0.9' });
  assert.deepEqual(empty.highestUserWastedPercent, { enabled: true, value: 0.1, raw: '0.1' });
});

test('CLI overrides win over the file, the file over the defaults', () => {
  const c = gateConfigFrom({ rules: { lowestEfficiency: 0.5, highestWastedBytes: '1MB' } }, { lowestEfficiency: '0.7' });
  assert.equal(c.lowestEfficiency.enabled && c.lowestEfficiency.value, 0.7);
  assert.equal(c.highestWastedBytes.enabled && c.highestWastedBytes.value, 1_000_000);
  const off = gateConfigFrom({ rules: { highestWastedBytes: '1MB' } }, { highestWastedBytes: 'disabled' });
  assert.equal(off.highestWastedBytes.enabled, false);
});

test('other keys under rules: are kept for the image rules', () => {
  const c = gateConfigFrom({ rules: { lowestEfficiency: 0.9, 'setuid-setgid': 'warn', 'plugin/rule': 'error' }, ignore: [{ rule: 'x' }] }, {});
  assert.deepEqual(c.ruleSettings, { 'setuid-setgid': 'warn', 'plugin/rule': 'error' });
  assert.equal(c.ignore.length, 1);
});

// figures of dive's fixture (test-docker-image.tar), from dive's own test suite
const fixture = { efficiency: 0.9844212134184309, wastedBytes: 32025, userWastedPercent: 0.4834911001404049 } as Analysis;
const statusOf = (rules: Record<string, unknown>, id: string) =>
  thresholdChecks(fixture, gateConfigFrom({ rules }, {})).find((c) => c.id === id)!.status;

test('each threshold at, just below and just above its value: comparisons are strict, as dive', () => {
  // highestWastedBytes fails when wasted > threshold
  assert.equal(statusOf({ highestWastedBytes: 32025 }, 'highestWastedBytes'), 'PASS');
  assert.equal(statusOf({ highestWastedBytes: 32024 }, 'highestWastedBytes'), 'FAIL');
  assert.equal(statusOf({ highestWastedBytes: 32026 }, 'highestWastedBytes'), 'PASS');
  // lowestEfficiency fails when threshold > efficiency
  assert.equal(statusOf({ lowestEfficiency: 0.9844212134184309 }, 'lowestEfficiency'), 'PASS');
  assert.equal(statusOf({ lowestEfficiency: 0.984421213418431 }, 'lowestEfficiency'), 'FAIL');
  assert.equal(statusOf({ lowestEfficiency: 0.9844212134184308 }, 'lowestEfficiency'), 'PASS');
  // highestUserWastedPercent fails when threshold < userWastedPercent
  assert.equal(statusOf({ highestUserWastedPercent: 0.4834911001404049 }, 'highestUserWastedPercent'), 'PASS');
  assert.equal(statusOf({ highestUserWastedPercent: 0.4834911001404048 }, 'highestUserWastedPercent'), 'FAIL');
  assert.equal(statusOf({ highestUserWastedPercent: 0.483491100140405 }, 'highestUserWastedPercent'), 'PASS');
});

test('messages carry the measured value and the threshold, for PASS too', () => {
  const checks = thresholdChecks(fixture, gateConfigFrom({ rules: { highestWastedBytes: '20MB' } }, {}));
  const byId = Object.fromEntries(checks.map((c) => [c.id, c.message]));
  assert.equal(byId['highestWastedBytes'], 'wasted-bytes=32025 <= threshold=20000000');
  assert.equal(byId['lowestEfficiency'], 'efficiency=0.9844212134184309 >= threshold=0.9');
  assert.equal(
    byId['highestUserWastedPercent'],
    'too many bytes wasted, relative to the user bytes added (%-user-wasted-bytes=0.4834911001404049 > threshold=0.1)',
  );
});
