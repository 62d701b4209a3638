import type { Check, CheckLocation } from '../ci/check.js';
import { imageName, type ReportContext } from './reportContext.js';

const LEVEL = { FAIL: 'error', WARN: 'warning', PASS: 'none', SKIP: 'none' } as const;

/**
 * SARIF 2.1.0. Every result carries a location — GitHub code scanning rejects results without one: an in-image path
 * relative to the IMAGEROOT base, or the image config with the field as a logical location.
 */
export function sarifLocation(l: CheckLocation) {
  if (l.path) {
    return {
      physicalLocation: { artifactLocation: { uri: encodeURI(l.path.replace(/^\/+/, '')), uriBaseId: 'IMAGEROOT' } },
      ...(l.layer !== undefined ? { properties: { layer: l.layer } } : {}),
    };
  }
  return {
    physicalLocation: { artifactLocation: { uri: 'image-config.json', uriBaseId: 'IMAGE' } },
    logicalLocations: [{ fullyQualifiedName: l.configField ?? 'image', kind: 'member' }],
  };
}

export function sarifReport(ctx: ReportContext) {
  const checks = ctx.gate.checks;
  const ruleIds = [...new Set(checks.map((c) => c.id))];
  const byId = new Map(checks.map((c) => [c.id, c] as const));
  const results = checks
    .filter((c) => c.status === 'FAIL' || c.status === 'WARN')
    .map((c: Check) => ({
      ruleId: c.id,
      ruleIndex: ruleIds.indexOf(c.id),
      level: LEVEL[c.status],
      message: { text: c.message },
      locations: (c.locations.length > 0 ? c.locations : [{ configField: 'image' }]).map(sarifLocation),
      partialFingerprints: { fathomCheck: `${c.id}:${c.locations.map((l) => l.path ?? l.configField ?? '').join(',')}` },
    }));
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'fathom',
            version: ctx.version,
            informationUri: 'https://github.com/wagoodman/dive',
            rules: ruleIds.map((id) => ({
              id,
              name: id,
              shortDescription: { text: byId.get(id)!.title },
              ...(byId.get(id)!.helpText ? { help: { text: byId.get(id)!.helpText! } } : {}),
            })),
          },
        },
        originalUriBaseIds: {
          IMAGEROOT: { uri: 'file:///', description: { text: `the merged root filesystem of ${imageName(ctx.image)}` } },
          IMAGE: { uri: 'file:///', description: { text: `the image ${imageName(ctx.image)} (${ctx.image.id})` } },
        },
        results,
        properties: {
          image: imageName(ctx.image),
          imageId: ctx.image.id,
          efficiency: ctx.analysis.efficiency,
          wastedBytes: ctx.analysis.wastedBytes,
          userWastedPercent: ctx.analysis.userWastedPercent,
          reclaimableBytes: ctx.analysis.reclaimableBytes,
        },
      },
    ],
  };
}
