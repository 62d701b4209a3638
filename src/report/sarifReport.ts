import { pathToFileURL } from 'node:url';
import type { CheckLocation } from '../ci/check.js';
import { checkMeta, type CheckMeta } from '../ci/checkMeta.js';
import { imageKey } from '../ci/findingIdentity.js';
import { FATHOM_REPOSITORY, ruleDocUrl } from './projectLinks.js';
import { gateFindings, type ReportFinding } from './reportFindings.js';
import { dockerfileLineOf, imageName, type ReportContext } from './reportContext.js';
import { ruleMarkdown } from './ruleDoc.js';

const LEVEL = { error: 'error', warn: 'warning', info: 'note' } as const;

/**
 * Where a finding is. An in-image path is an artifact under the IMAGEROOT base (a whole-file finding: region
 * line 1); a config field is the image config with the field as a logical location. GitHub code scanning rejects
 * results without a location and wants a region on each.
 */
export function sarifLocation(l: CheckLocation) {
  if (l.path) {
    return {
      physicalLocation: {
        artifactLocation: { uri: encodeURI(l.path.replace(/^\/+/, '')), uriBaseId: 'IMAGEROOT' },
        region: { startLine: 1 },
      },
      ...(l.layer !== undefined ? { properties: { layer: l.layer } } : {}),
    };
  }
  return {
    physicalLocation: { artifactLocation: { uri: 'image-config.json', uriBaseId: 'IMAGE' }, region: { startLine: 1 } },
    logicalLocations: [{ fullyQualifiedName: l.configField ?? 'image', kind: 'member' }],
  };
}

/** A file of the repository (the Dockerfile, the .dive-ci) as a SARIF artifact: relative to the checkout (%SRCROOT%, as code scanning resolves it), or a file URI. */
function sourceArtifact(path: string) {
  const p = path.replace(/\\/g, '/').replace(/^(\.\/)+/, '');
  return p.startsWith('/') ? { uri: pathToFileURL(p).href } : { uri: encodeURI(p), uriBaseId: '%SRCROOT%' };
}

/**
 * A finding with a line: that line is where code scanning shows it (the RUN that installed the setuid binary, the
 * USER that is missing, the .dive-ci entry of a stale ignore); the in-image path or config field stays as its
 * logical location.
 */
function findingLocation(f: ReportFinding, dockerfile: string | undefined) {
  const file = f.file ?? dockerfile;
  if (f.line === undefined || file === undefined) return sarifLocation(f.location);
  const subject = f.location.path ?? f.location.configField;
  return {
    physicalLocation: { artifactLocation: sourceArtifact(file), region: { startLine: f.line } },
    ...(subject !== undefined && subject !== 'image' ? { logicalLocations: [{ fullyQualifiedName: subject, kind: f.location.path ? 'resource' : 'member' }] } : {}),
    ...(f.location.layer !== undefined ? { properties: { layer: f.location.layer } } : {}),
  };
}

/**
 * `setuid-setgid` → `SetuidSetgid`, `lowestEfficiency` → `LowestEfficiencyCheck`: SARIF's `name` is for people
 * and must differ from the opaque `id` even ignoring case (the multitool's SARIF1001).
 */
function ruleName(id: string): string {
  const pascal = id.split('-').map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('');
  return pascal.toLowerCase() === id.toLowerCase() ? `${pascal}Check` : pascal;
}

/** A rule's descriptor with everything GitHub shows and filters by. */
export function sarifRule(m: CheckMeta) {
  return {
    id: m.id,
    name: ruleName(m.id),
    shortDescription: { text: m.title },
    fullDescription: { text: m.docs },
    help: { text: `${m.docs}\n\n${ruleDocUrl(m.id)}`, markdown: ruleMarkdown(m) },
    helpUri: ruleDocUrl(m.id),
    defaultConfiguration: { level: LEVEL[m.severity] },
    properties: {
      tags: [...m.tags],
      precision: m.precision,
      'problem.severity': LEVEL[m.severity] === 'note' ? 'recommendation' : LEVEL[m.severity],
      ...(m.securitySeverity !== undefined ? { 'security-severity': m.securitySeverity.toFixed(1) } : {}),
    },
  };
}

export interface SarifRunInput {
  readonly version: string;
  /** The image the results are about: its name for people, its id. */
  readonly imageName: string;
  readonly imageId: string;
  /** Code scanning's category: one per image, so two images' uploads do not replace each other's alerts. */
  readonly automationId: string;
  /** Every check id the run reports on, findings or not (their descriptors are listed). */
  readonly checkIds: readonly string[];
  readonly titles: ReadonlyMap<string, string>;
  readonly findings: readonly ReportFinding[];
  /** The Dockerfile the findings' lines are in. */
  readonly dockerfile?: string;
  readonly properties: Readonly<Record<string, unknown>>;
}

/** SARIF 2.1.0: one result per finding, each with its own message, location and stable fingerprint. */
export function sarifLog(run: SarifRunInput) {
  const ids = [...new Set([...run.checkIds, ...run.findings.map((f) => f.checkId)])];
  const results = run.findings.map((f) => ({
    ruleId: f.checkId,
    ruleIndex: ids.indexOf(f.checkId),
    level: f.level,
    message: { text: f.fix !== undefined ? `${f.message}. Fix: ${f.fix}` : f.message },
    locations: [findingLocation(f, run.dockerfile)],
    partialFingerprints: { 'fathomFinding/v1': f.fingerprint },
    ...(f.baselineState !== undefined ? { baselineState: f.baselineState } : {}),
  }));
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'fathom',
            version: run.version,
            semanticVersion: run.version,
            informationUri: FATHOM_REPOSITORY,
            rules: ids.map((id) => sarifRule(checkMeta(id, run.titles.get(id)))),
          },
        },
        automationDetails: { id: run.automationId },
        originalUriBaseIds: {
          IMAGEROOT: { uri: 'file:///', description: { text: `the merged root filesystem of ${run.imageName}` } },
          IMAGE: { uri: 'file:///', description: { text: `the image ${run.imageName} (${run.imageId})` } },
        },
        results,
        properties: run.properties,
      },
    ],
  };
}

/** The `automationDetails.id` of an image's runs: `fathom/REPOSITORY/` (a tag or digest left out). */
export const automationId = (command: string, key: string) => `${command}/${key}/`;

export function sarifReport(ctx: ReportContext) {
  const key = imageKey(ctx.image.tags, ctx.image.id);
  return sarifLog({
    version: ctx.version,
    imageName: imageName(ctx.image),
    imageId: ctx.image.id,
    automationId: automationId('fathom', key),
    checkIds: ctx.gate.checks.map((c) => c.id),
    titles: new Map(ctx.gate.checks.map((c) => [c.id, c.title])),
    findings: gateFindings(ctx.gate, key, dockerfileLineOf(ctx)),
    ...(ctx.dockerfile ? { dockerfile: ctx.dockerfile.path } : {}),
    properties: {
      image: imageName(ctx.image),
      imageId: ctx.image.id,
      efficiency: ctx.analysis.efficiency,
      wastedBytes: ctx.analysis.wastedBytes,
      userWastedPercent: ctx.analysis.userWastedPercent,
      reclaimableBytes: ctx.analysis.reclaimableBytes,
    },
  });
}
