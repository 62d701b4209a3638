import { analyzeImage, type Analysis } from '../analysis/analyzeImage.js';
import { detectBaseLayers, type BaseLayers } from '../analysis/baseLayers.js';
import type { MergedTree } from '../analysis/mergedTree.js';
import { summarize, type GateResult } from '../ci/check.js';
import type { GateConfig } from '../ci/gateConfig.js';
import { ruleChecks, ruleSettingsFrom, type RuleSettings } from '../ci/ruleChecks.js';
import { thresholdChecks } from '../ci/thresholdChecks.js';
import type { DockerfileInfo } from '../dockerfile/parseDockerfile.js';
import type { Image } from '../model/imageTypes.js';
import { RULES } from '../../rules/index.js';
import { buildRuleContext } from '../../rules/support/context.js';
import type { Finding, Rule } from '../../rules/support/types.js';

/** Everything a review needs besides the image, checked before any (possibly long) load. */
export interface ReviewPlan {
  readonly gate: GateConfig;
  readonly rules: readonly Rule[];
  readonly settings: RuleSettings;
  readonly dockerfile?: DockerfileInfo;
  /** Keep findings of the user's own layers only (--only-user-layers). */
  readonly onlyUserLayers: boolean;
  /** YYYY-MM-DD, against which ignores with `until` expire: the caller's clock, so a review is repeatable. */
  readonly today: string;
}

export interface PlanOptions {
  readonly gate: GateConfig;
  readonly today: string;
  readonly dockerfile?: DockerfileInfo;
  readonly onlyUserLayers?: boolean;
  /** Every rule fathom knows unless told otherwise. */
  readonly rules?: readonly Rule[];
}

/** Validate the rule settings of the gate config (unknown rules and levels are a ConfigError, thrown here). */
export function planReview(opts: PlanOptions): ReviewPlan {
  const rules = opts.rules ?? RULES;
  return {
    gate: opts.gate,
    rules,
    settings: ruleSettingsFrom(opts.gate.ruleSettings, opts.gate.ignore, rules, opts.gate.ignoreSources),
    ...(opts.dockerfile ? { dockerfile: opts.dockerfile } : {}),
    onlyUserLayers: opts.onlyUserLayers === true,
    today: opts.today,
  };
}

/** What the reporters, the gate and the browser render from. */
export interface Review {
  readonly image: Image;
  readonly analysis: Analysis;
  /** Which layers are the base image's, and how that was decided. */
  readonly base: BaseLayers;
  /** The final filesystem the rules looked at. */
  readonly tree: MergedTree;
  /** Each rule's findings by rule id, after ignores (a rule that skipped or is off has none). */
  readonly findings: ReadonlyMap<string, readonly Finding[]>;
  /** dive's threshold checks then one check per rule, and the verdict. */
  readonly gate: GateResult;
}

/** Review a loaded image: analysis, base split, rules, checks and the verdict. Pure: no I/O, no clock. */
export function review(image: Image, plan: ReviewPlan, baseImage?: Image): Review {
  const analysis = analyzeImage(image);
  const base = detectBaseLayers(image, baseImage);
  const ctx = buildRuleContext(image, analysis, base, plan.dockerfile);
  const rules = ruleChecks(plan.rules, ctx, plan.settings, { onlyUserLayers: plan.onlyUserLayers, today: plan.today });
  const gate = summarize([...thresholdChecks(analysis, plan.gate), ...rules.checks]);
  return { image, analysis, base, tree: ctx.tree, findings: rules.findings, gate };
}
