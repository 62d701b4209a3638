import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Check } from '../../src/ci/check.js';
import { gateConfigFrom } from '../../src/ci/gateConfig.js';
import { ConfigError } from '../../src/errors.js';
import { loadForReview, type ReviewArchive } from '../../src/review/loadForReview.js';
import { planReview, review } from '../../src/review/review.js';
import { reviewImage } from '../../src/review/reviewImage.js';
import { openArchiveFile } from '../../src/source/openArchive.js';
import { RULE_IMAGES } from '../helpers/ruleCases.js';
import { DIVE_FIXTURE, expectedTable, IMAGES } from '../helpers/shared.js';

const TODAY = '2026-11-23';
const BUSYBOX_BASE = join(IMAGES, 'corpus', 'docker-engine', 'busybox-base.tar');
const SETUID = RULE_IMAGES('docker-engine', 'setuid-tiny');
const select = { defaultPlatform: 'linux/amd64' };
const archive = async (path: string): Promise<ReviewArchive> => ({ source: await openArchiveFile(path), select });
const status = (checks: readonly Check[], id: string) => checks.find((c) => c.id === id)?.status;

test("dive's fixture through the pipeline: EXPECTED.md's figures, and dive's default gate fails it on highestUserWastedPercent", async () => {
  const want = expectedTable().find((r) => r.image === 'test-docker-image.tar')!;
  const r = await reviewImage({ image: await archive(DIVE_FIXTURE) }, planReview({ gate: gateConfigFrom({}, {}), today: TODAY }));
  assert.equal(r.analysis.sizeBytes, want.sizeBytes);
  assert.equal(r.analysis.userSizeBytes, want.userSizeBytes);
  assert.equal(r.analysis.wastedBytes, want.wastedBytes);
  assert.equal(r.analysis.reclaimableBytes, want.reclaimableBytes);
  assert.ok(Math.abs(r.analysis.efficiency - want.efficiency) < 1e-12);
  assert.ok(Math.abs(r.analysis.userWastedPercent - want.userWastedPercent!) < 1e-12);
  // dive's defaults: efficiency 0.984 >= 0.9 passes, 0.483 > 0.1 user-wasted fails, highestWastedBytes disabled
  assert.equal(status(r.gate.checks, 'lowestEfficiency'), 'PASS');
  assert.equal(status(r.gate.checks, 'highestUserWastedPercent'), 'FAIL');
  assert.equal(status(r.gate.checks, 'highestWastedBytes'), 'SKIP');
  assert.equal(r.gate.status, 'FAIL');
  // busybox's passwordless root, from the base layer that the history's CMD ends
  assert.deepEqual([r.base.count, r.base.method], [1, 'history']);
  assert.deepEqual(r.findings.get('empty-password')!.map((f) => [f.path, f.layer?.base]), [['/etc/shadow', true]]);
  assert.equal(status(r.gate.checks, 'empty-password'), 'WARN');
  assert.ok(r.tree.get('/etc/shadow'), 'the merged tree the rules saw');
});

test('--base is opened only after the image is read; its layers are the base by diff_id (corpus-rules EXPECTED §1)', async () => {
  const log: string[] = [];
  const r = await reviewImage(
    {
      image: await archive(SETUID),
      base: async () => {
        log.push('open base');
        return archive(BUSYBOX_BASE);
      },
      progressFor: (source) => {
        log.push(`read ${source.name}`);
        return { update: () => {}, done: () => log.push(`done ${source.name}`) };
      },
    },
    planReview({ gate: gateConfigFrom({}, {}), today: TODAY }),
  );
  assert.deepEqual(log, [`read ${SETUID}`, `done ${SETUID}`, 'open base', `read ${BUSYBOX_BASE}`, `done ${BUSYBOX_BASE}`]);
  assert.deepEqual([r.base.count, r.base.method], [1, 'base-image']);
  assert.equal(r.image.layers.length, 4);
  assert.deepEqual(r.findings.get('setuid-setgid')!.map((f) => f.path), ['/usr/local/bin/sg-copy', '/usr/local/bin/su-copy']);
  // USER unset: root (warn); CMD ["sh"] starts; no error-level rule fires and the figures are far inside dive's defaults
  assert.equal(status(r.gate.checks, 'root-user'), 'WARN');
  assert.equal(status(r.gate.checks, 'entrypoint-runnable'), 'PASS');
  assert.equal(status(r.gate.checks, 'unpinned-base'), 'SKIP');
  assert.equal(r.gate.status, 'PASS');
});

test('one loaded image, reviewed under two plans without reading it again', async () => {
  const image = await loadForReview(await archive(SETUID));
  const strict = planReview({ gate: gateConfigFrom({ rules: { 'setuid-setgid': 'error' } }, {}), today: TODAY });
  const relaxed = planReview({
    gate: gateConfigFrom({ rules: { 'setuid-setgid': 'error' }, ignore: [{ rule: 'setuid-setgid', path: '/usr/local/bin/s?-copy', reason: 'the app needs them' }] }, {}),
    today: TODAY,
  });
  const a = review(image, strict);
  const b = review(image, relaxed);
  assert.equal(a.image, b.image);
  assert.deepEqual([status(a.gate.checks, 'setuid-setgid'), a.gate.status], ['FAIL', 'FAIL']);
  assert.deepEqual([status(b.gate.checks, 'setuid-setgid'), b.gate.status], ['PASS', 'PASS']);
  assert.deepEqual(b.findings.get('setuid-setgid'), []);
  assert.equal(a.analysis.wastedBytes, b.analysis.wastedBytes);
});

test('a bad rule setting is a ConfigError from planReview, before anything is read', () => {
  assert.throws(() => planReview({ gate: gateConfigFrom({ rules: { 'no-such-rule': 'error' } }, {}), today: TODAY }), (e: Error) => e instanceof ConfigError && /rules\.no-such-rule: unknown rule/.test(e.message));
});

test('src/review touches no process, terminal or browser', () => {
  const dir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'src', 'review');
  for (const f of readdirSync(dir)) {
    const text = readFileSync(join(dir, f), 'utf8');
    assert.doesNotMatch(text, /\bprocess\.|from 'node:(process|tty|readline)'|\/cli\/|\/ui\//, f);
  }
});
