import { parseReference } from '../src/dockerfile/parseDockerfile.js';
import type { Finding, Rule } from './support/types.js';

const BASE_NAME = 'org.opencontainers.image.base.name';
const BASE_DIGEST = 'org.opencontainers.image.base.digest';

function judge(ref: string): { pinned: boolean; worse: boolean; why: string } {
  const r = parseReference(ref);
  if (r.digest?.startsWith('sha256:')) return { pinned: true, worse: false, why: '' };
  if (!r.tag) return { pinned: false, worse: true, why: `${ref} has no tag (means :latest) and no digest` };
  if (r.tag === 'latest') return { pinned: false, worse: true, why: `${ref} uses the moving tag latest and no digest` };
  return { pinned: false, worse: false, why: `${ref} is a tag without @sha256: digest` };
}

/** The base image is not pinned by digest, so rebuilds silently pick up a different base. */
export const unpinnedBase: Rule = {
  meta: {
    id: 'unpinned-base',
    title: 'base image not pinned by digest',
    severity: 'warn',
    docs:
      'Reports a base image referenced by tag instead of digest: a rebuild can silently get different content, so ' +
      'builds are not reproducible and a compromised tag reaches you unnoticed. `latest` or no tag at all is worse ' +
      'than a fixed tag. Evidence, in order: the OCI annotations or labels org.opencontainers.image.base.name and ' +
      '.base.digest (index, manifest or config), then the FROM lines of the Dockerfile given with --dockerfile (ARG ' +
      'defaults substituted, stage names and scratch skipped). Without evidence the check is skipped, never passed. ' +
      'Fix: `FROM name:tag@sha256:<digest>` (a tool such as Renovate keeps the digest current).',
    related: ['hadolint DL3006', 'hadolint DL3007'],
    tags: ['reproducibility', 'supply-chain'],
    precision: 'very-high',
  },
  check(ctx) {
    const out: Finding[] = [];
    let evidence = false;
    const sources: Array<[string, Readonly<Record<string, string>>]> = [
      ['index annotation', ctx.image.indexAnnotations],
      ['manifest annotation', ctx.image.manifestAnnotations],
      ['config label', ctx.image.config.labels],
    ];
    for (const [where, ann] of sources) {
      const name = ann[BASE_NAME];
      const digest = ann[BASE_DIGEST];
      if (!name && !digest) continue;
      evidence = true;
      if (digest?.startsWith('sha256:')) continue;
      if (name) {
        const j = judge(name);
        if (!j.pinned) {
          out.push({
            message: `${where} ${BASE_NAME}: ${j.why}${j.worse ? ' (worst case: the tag moves with every release)' : ''}`,
            configField: where === 'config label' ? `config.Labels["${BASE_NAME}"]` : `${where === 'index annotation' ? 'index' : 'manifest'}.annotations["${BASE_NAME}"]`,
            fix: `pin the base: FROM ${parseReference(name).name}:${parseReference(name).tag ?? '<tag>'}@sha256:<digest>`,
          });
        }
      }
    }
    if (ctx.dockerfile) {
      for (const f of ctx.dockerfile.froms) {
        if (f.scratch || f.stage) continue;
        evidence = true;
        const j = judge(f.image);
        if (j.pinned) continue;
        out.push({
          message: `${ctx.dockerfile.path}:${f.line}: FROM ${j.why}${j.worse ? ' (worst case: the tag moves with every release)' : ''}`,
          configField: `Dockerfile:${f.line}`,
          fix: `FROM ${parseReference(f.image).name}:${parseReference(f.image).tag ?? '<tag>'}@sha256:<digest>`,
        });
      }
    }
    if (!evidence) return { skip: 'no base-image evidence: no org.opencontainers.image.base.* annotation or label, and no --dockerfile' };
    return out;
  },
};
