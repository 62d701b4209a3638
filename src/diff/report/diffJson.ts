import type { GateResult } from '../../ci/check.js';
import type { ImageDiff } from '../imageDiff.js';

/** Bumped when a field changes meaning or goes; new fields do not bump it. schema/diff.schema.json describes it. */
export const DIFF_JSON_VERSION = 1;

/** `fathom diff --json`: the whole comparison, and the diff gate's checks and verdict. */
export function diffJson(diff: ImageDiff, gate: GateResult, opts: { expanded: boolean; version: string }): unknown {
  const { layers, ...rest } = diff;
  return {
    schemaVersion: DIFF_JSON_VERSION,
    fathomVersion: opts.version,
    expanded: opts.expanded,
    base: rest.base,
    head: rest.head,
    layers,
    sizeBytes: rest.sizeBytes,
    pullBytes: rest.pullBytes,
    start: rest.start,
    findings: rest.findings,
    files: rest.files,
    directories: rest.directories,
    waste: rest.waste,
    config: rest.config,
    baseImage: rest.baseImage,
    packages: rest.packages,
    gate,
  };
}
