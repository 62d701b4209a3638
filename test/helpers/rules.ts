import { createReadStream, readFileSync } from 'node:fs';
import { join } from 'node:path';
import tar from 'tar-stream';
import { analyzeImage } from '../../src/analysis/analyzeImage.js';
import { detectBaseLayers } from '../../src/analysis/baseLayers.js';
import { parseDockerfile } from '../../src/dockerfile/parseDockerfile.js';
import { loadImage } from '../../src/loadImage.js';
import type { Image } from '../../src/model/types.js';
import { buildRuleContext } from '../../rules/support/context.js';
import type { Finding, Rule, RuleOutcome } from '../../rules/support/types.js';
import { chunksOf, dockerArchive, type ImageSpec } from './buildArchive.js';
import { IMAGES, loadFile } from './shared.js';

export const RULE_IMAGES = (layout: 'docker-engine' | 'oci-archive-zstd', name: string) => join(IMAGES, 'corpus-rules', layout, `${name}.tar`);
export const BOTH_LAYOUTS = ['docker-engine', 'oci-archive-zstd'] as const;

export function run(rule: Rule, image: Image, dockerfile?: { text: string; path?: string }): RuleOutcome {
  const df = dockerfile ? parseDockerfile(dockerfile.text, dockerfile.path ?? 'Dockerfile') : undefined;
  return rule.check(buildRuleContext(image, analyzeImage(image), detectBaseLayers(image), df));
}

export function findings(outcome: RuleOutcome): readonly Finding[] {
  if ('skip' in outcome) throw new Error(`rule skipped: ${outcome.skip}`);
  return outcome as readonly Finding[];
}

export async function runOnFile(rule: Rule, path: string, dockerfile?: { text: string; path?: string }): Promise<RuleOutcome> {
  return run(rule, await loadFile(path), dockerfile);
}

export async function runOnSpec(rule: Rule, spec: ImageSpec): Promise<RuleOutcome> {
  const buf = await dockerArchive([spec]);
  return run(rule, await loadImage(chunksOf(buf), 'built.tar', { defaultPlatform: 'linux/amd64' }));
}

/** The bytes of one file from a real image archive (its first plain-tar layer that has it): real ELF binaries for tests. */
export async function fileFromArchive(archive: string, path: string): Promise<Buffer> {
  const want = path.replace(/^\//, '');
  const layers: Buffer[] = [];
  await new Promise<void>((resolve, reject) => {
    const ex = tar.extract();
    ex.on('entry', (h, s, next) => {
      const parts: Buffer[] = [];
      s.on('data', (c: unknown) => parts.push(c as Buffer));
      s.on('end', () => {
        if (h.name.endsWith('layer.tar')) layers.push(Buffer.concat(parts));
        next();
      });
    });
    ex.on('finish', () => resolve());
    ex.on('error', reject);
    createReadStream(archive).pipe(ex as unknown as NodeJS.WritableStream);
  });
  for (const layer of layers) {
    const found = await new Promise<Buffer | undefined>((resolve, reject) => {
      let hit: Buffer | undefined;
      const ex = tar.extract();
      ex.on('entry', (h, s, next) => {
        const parts: Buffer[] = [];
        s.on('data', (c: unknown) => parts.push(c as Buffer));
        s.on('end', () => {
          if (h.name.replace(/^\.\//, '') === want) hit = Buffer.concat(parts);
          next();
        });
      });
      ex.on('finish', () => resolve(hit));
      ex.on('error', reject);
      ex.end(layer);
    });
    if (found) return found;
  }
  throw new Error(`${path} not found in ${archive}`);
}

export function readText(path: string): string {
  return readFileSync(path, 'utf8');
}
