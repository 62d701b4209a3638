import type { Analysis } from '../../src/analysis/analyzeImage.js';
import type { BaseLayers } from '../../src/analysis/baseLayers.js';
import type { MergedTree } from '../../src/analysis/mergedTree.js';
import type { Image } from '../../src/model/imageTypes.js';
import type { DockerfileInfo } from '../../src/dockerfile/parseDockerfile.js';

export type Severity = 'error' | 'warn' | 'info';

export interface RuleMeta {
  /** Stable, kebab-case: what users put in `.dive-ci` and ignore lists. */
  readonly id: string;
  readonly title: string;
  readonly severity: Severity;
  /** What the rule finds, why it matters, and the fix. */
  readonly docs: string;
  /** Ids of the same check in dockle, hadolint, trivy, CIS Docker Benchmark. */
  readonly related: readonly string[];
  /** Code scanning's filters (`security`, `external/cwe/cwe-250`, `efficiency`…): SARIF `properties.tags`. */
  readonly tags: readonly string[];
  /** How often a finding is a real problem: SARIF `properties.precision`. */
  readonly precision: 'very-high' | 'high' | 'medium' | 'low';
  /**
   * CVSS-like 0.1..10 for the security rules: GitHub ranks alerts by it (low < 4, medium < 7, high < 9, critical).
   * SARIF `properties.security-severity`; absent for rules that are not about security.
   */
  readonly securitySeverity?: number;
}

/** The layer a finding came from, and whether it is the base image's or the user's own. */
export interface LayerRef {
  readonly index: number;
  readonly digest: string;
  readonly command: string;
  readonly base: boolean;
}

export interface Finding {
  readonly message: string;
  /** An in-image path, or a config field such as `config.User`. */
  readonly path?: string;
  readonly configField?: string;
  readonly layer?: LayerRef;
  /** One line: what to change. */
  readonly fix: string;
  /** Bytes involved, where the finding is about space. */
  readonly bytes?: number;
}

export interface RuleContext {
  readonly image: Image;
  readonly analysis: Analysis;
  readonly tree: MergedTree;
  readonly base: BaseLayers;
  readonly dockerfile?: DockerfileInfo;
  layerRef(index: number): LayerRef;
}

/** Findings, or a reason the rule could not decide (SKIP, never a silent pass). */
export type RuleOutcome = readonly Finding[] | { readonly skip: string };

export interface Rule {
  readonly meta: RuleMeta;
  check(ctx: RuleContext): RuleOutcome;
}
