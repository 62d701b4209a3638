/**
 * A rule's tests as one table, after eslint's RuleTester and hadolint's per-rule specs: `valid` images give no
 * finding, `invalid` ones give exactly the findings listed (identified by path and config field, in the rule's
 * order), `skipped` ones make the rule say it cannot decide. Each case is a real archive: one of the shared corpus
 * (every layout listed is checked alike) or one built in the test with tar-stream.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { analyzeImage } from '../../src/analysis/analyzeImage.js';
import { detectBaseLayers } from '../../src/analysis/baseLayers.js';
import { parseDockerfile } from '../../src/dockerfile/parseDockerfile.js';
import { loadImage } from '../../src/archive/loadImage.js';
import type { Image } from '../../src/model/imageTypes.js';
import { buildRuleContext } from '../../rules/support/context.js';
import type { Finding, Rule, RuleOutcome } from '../../rules/support/types.js';
import { chunksOf, dockerArchive, type ImageSpec } from './buildArchive.js';
import { IMAGES, loadFile } from './shared.js';

export const RULE_IMAGES = (layout: 'docker-engine' | 'oci-archive-zstd', name: string) => join(IMAGES, 'corpus-rules', layout, `${name}.tar`);
export const BOTH_LAYOUTS = ['docker-engine', 'oci-archive-zstd'] as const;

/** One rule over one image, with the context the pipeline gives it. */
export function run(rule: Rule, image: Image, dockerfile?: { text: string; path?: string }): RuleOutcome {
  const df = dockerfile ? parseDockerfile(dockerfile.text, dockerfile.path ?? 'Dockerfile') : undefined;
  return rule.check(buildRuleContext(image, analyzeImage(image), detectBaseLayers(image), df));
}

export type CaseImage =
  | { readonly files: readonly string[] }
  | { readonly spec: ImageSpec | (() => Promise<ImageSpec>) };

export interface RuleCase {
  readonly name: string;
  readonly image: CaseImage;
  readonly dockerfile?: { readonly text: string; readonly path?: string };
}

/**
 * One expected finding. `path` and `configField` always count (leaving one out says the finding has none); the
 * other fields are checked when given.
 */
export interface ExpectedFinding {
  readonly path?: string;
  readonly configField?: string;
  /** The layer index the finding names. */
  readonly layer?: number;
  /** Whether that layer is the base image's. */
  readonly base?: boolean;
  readonly bytes?: number;
  /** Only where the text itself is the point (the runtime's own error message, a detail nothing else carries). */
  readonly message?: string | RegExp;
  readonly fix?: string | RegExp;
}

export interface InvalidCase extends RuleCase {
  readonly findings: readonly ExpectedFinding[];
}

export interface SkippedCase extends RuleCase {
  readonly skip: RegExp;
}

export interface RuleTable {
  readonly valid: readonly RuleCase[];
  readonly invalid: readonly InvalidCase[];
  readonly skipped?: readonly SkippedCase[];
}

/** Archives of the shared corpus. */
export const shared = (...files: string[]): CaseImage => ({ files });
/** One image of ../shared/images/corpus-rules, in the docker-engine and the podman zstd build. */
export const corpusRules = (name: string): CaseImage => ({ files: BOTH_LAYOUTS.map((l) => RULE_IMAGES(l, name)) });
/** An archive built here (a function when its files have to be read first). */
export const built = (spec: ImageSpec | (() => Promise<ImageSpec>)): CaseImage => ({ spec });

const loaded = new Map<string, Promise<Image>>();

async function imagesOf(image: CaseImage): Promise<Array<{ label: string; image: Image }>> {
  if ('files' in image) {
    return Promise.all(
      image.files.map(async (f) => {
        if (!loaded.has(f)) loaded.set(f, loadFile(f));
        return { label: f, image: await loaded.get(f)! };
      }),
    );
  }
  const spec = typeof image.spec === 'function' ? await image.spec() : image.spec;
  const buf = await dockerArchive([spec]);
  return [{ label: 'built.tar', image: await loadImage(chunksOf(buf), 'built.tar', { defaultPlatform: 'linux/amd64' }) }];
}

function textMatches(actual: string, want: string | RegExp, what: string) {
  if (typeof want === 'string') assert.equal(actual, want, what);
  else assert.match(actual, want, what);
}

function compare(actual: readonly Finding[], expected: readonly ExpectedFinding[], label: string) {
  const where = (f: { path?: string | undefined; configField?: string | undefined }) => ({ path: f.path, configField: f.configField });
  assert.deepEqual(actual.map(where), expected.map(where), `${label}: the findings, by path and config field\n${JSON.stringify(actual, null, 1)}`);
  expected.forEach((want, i) => {
    const got = actual[i]!;
    const what = `${label}: finding ${i} (${got.path ?? got.configField})`;
    if (want.layer !== undefined) assert.equal(got.layer?.index, want.layer, `${what}: layer`);
    if (want.base !== undefined) assert.equal(got.layer?.base, want.base, `${what}: base layer`);
    if (want.bytes !== undefined) assert.equal(got.bytes, want.bytes, `${what}: bytes`);
    if (want.message !== undefined) textMatches(got.message, want.message, `${what}: message`);
    if (want.fix !== undefined) textMatches(got.fix, want.fix, `${what}: fix`);
  });
}

/** Register one test per case of `rule`'s table. */
export function ruleCases(rule: Rule, table: RuleTable): void {
  const id = rule.meta.id;
  const outcomes = async (c: RuleCase) => (await imagesOf(c.image)).map(({ label, image }) => ({ label, outcome: run(rule, image, c.dockerfile) }));
  for (const c of table.valid) {
    test(`${id} valid: ${c.name}`, async () => {
      for (const { label, outcome } of await outcomes(c)) {
        assert.ok(!('skip' in outcome), `${label}: skipped (${'skip' in outcome ? outcome.skip : ''}), expected a pass`);
        assert.deepEqual(outcome, [], label);
      }
    });
  }
  for (const c of table.invalid) {
    assert.ok(c.findings.length > 0, `${id} invalid: ${c.name} lists no finding (a valid case?)`);
    test(`${id} invalid: ${c.name}`, async () => {
      for (const { label, outcome } of await outcomes(c)) {
        assert.ok(!('skip' in outcome), `${label}: skipped (${'skip' in outcome ? outcome.skip : ''}), expected findings`);
        compare(outcome as readonly Finding[], c.findings, label);
      }
    });
  }
  for (const c of table.skipped ?? []) {
    test(`${id} skipped: ${c.name}`, async () => {
      for (const { label, outcome } of await outcomes(c)) {
        assert.ok('skip' in outcome, `${label}: expected a SKIP, got ${JSON.stringify(outcome)}`);
        assert.match(outcome.skip, c.skip, label);
      }
    });
  }
}

/** A value computed by the first case that needs it (a binary read out of an archive, a program compiled here). */
export function once<T>(make: () => Promise<T>): () => Promise<T> {
  let value: Promise<T> | undefined;
  return () => (value ??= make());
}
