import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCampaign } from './campaign.js';

// The deterministic short fuzz run of every `npm test`: the same 300 cases each time (seed 1). The long campaign is
// `npm run fuzz -- --cases 20000` (README, Reliability).
test('300 fuzz cases of mutated real archives: no crash, hang, unhandled rejection or memory blow-up', { timeout: 600_000 }, async () => {
  const r = await runCampaign({ seed: 1, cases: 300 });
  assert.deepEqual(
    r.findings.map((f) => `${f.reproduce}: ${f.what.split('\n')[0]}`),
    [],
  );
  // the mutations reach both outcomes: archives still read, and archives refused with one clear line
  assert.ok(r.ok > 20, `${r.ok} read fine`);
  assert.ok(r.inputErrors > 20, `${r.inputErrors} refused`);
  assert.equal(r.ok + r.inputErrors, 300);
});
