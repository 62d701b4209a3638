import type { GateResult } from '../../ci/check.js';
import { sarifLocation } from '../../report/sarifReport.js';
import { RULES } from '../../../rules/index.js';
import type { DiffFinding } from '../compareFindings.js';
import type { ImageDiff } from '../imageDiff.js';

const LEVEL = { error: 'error', warn: 'warning', info: 'note' } as const;
const THRESHOLDS = new Set(['maxSizeIncrease', 'maxSizeIncreasePercent', 'maxPullIncrease']);

/**
 * SARIF 2.1.0 for a pull request: HEAD's findings with `baselineState` against BASE (`new`, `unchanged`) and
 * BASE's fixed ones as `absent`, each with the layer-independent fingerprint, so code scanning shows only what
 * the change introduced; failed size thresholds of the diff's gate as results of their own.
 */
export function diffSarif(diff: ImageDiff, gate: GateResult, version: string) {
  const meta = new Map(RULES.map((r) => [r.meta.id, r.meta]));
  const thresholdFails = gate.checks.filter((c) => THRESHOLDS.has(c.id) && (c.status === 'FAIL' || c.status === 'WARN'));
  const ruleIds = [...new Set([...diff.findings.new, ...diff.findings.unchanged, ...diff.findings.fixed].map((f) => f.ruleId)), ...thresholdFails.map((c) => c.id)];
  const rules = ruleIds.map((id) => {
    const m = meta.get(id);
    const check = gate.checks.find((c) => c.id === id);
    return { id, name: id, shortDescription: { text: m?.title ?? check?.title ?? id }, ...(m ? { help: { text: m.docs } } : {}) };
  });
  const result = (f: DiffFinding, baselineState: 'new' | 'unchanged' | 'absent') => ({
    ruleId: f.ruleId,
    ruleIndex: ruleIds.indexOf(f.ruleId),
    level: LEVEL[f.level],
    message: { text: `${f.message}${f.fix ? ` — fix: ${f.fix}` : ''}` },
    locations: [sarifLocation(f)],
    baselineState,
    partialFingerprints: { 'fathomFinding/v1': f.fingerprint },
  });
  const results = [
    ...diff.findings.new.map((f) => result(f, 'new')),
    ...diff.findings.unchanged.map((f) => result(f, 'unchanged')),
    ...diff.findings.fixed.map((f) => result(f, 'absent')),
    ...thresholdFails.map((c) => ({
      ruleId: c.id,
      ruleIndex: ruleIds.indexOf(c.id),
      level: c.status === 'FAIL' ? 'error' : 'warning',
      message: { text: c.message },
      locations: [sarifLocation({ configField: 'image' })],
      baselineState: 'new',
      partialFingerprints: { 'fathomFinding/v1': c.id },
    })),
  ];
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'fathom', version, informationUri: 'https://github.com/wagoodman/dive', rules } },
        originalUriBaseIds: {
          IMAGEROOT: { uri: 'file:///', description: { text: `the merged root filesystem of ${diff.head.name}` } },
          IMAGE: { uri: 'file:///', description: { text: `the image ${diff.head.name} (${diff.head.id})` } },
        },
        automationDetails: { id: `fathom-diff/${diff.head.name}/` },
        results,
        properties: { base: diff.base.name, head: diff.head.name, sizeDelta: diff.sizeBytes.delta, pullBytes: diff.pullBytes, startRegression: diff.start.regression },
      },
    ],
  };
}
