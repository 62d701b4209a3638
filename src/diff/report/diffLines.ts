import { findingLines, type FindingSubject } from '../../dockerfile/findingLines.js';
import type { DockerfileInfo } from '../../dockerfile/parseDockerfile.js';
import type { Review } from '../../review/review.js';

/** HEAD's Dockerfile and the line each of HEAD's findings comes from, as `fathom HEAD --dockerfile` maps them. */
export interface HeadLines {
  readonly dockerfile: string;
  readonly lineOf: (s: FindingSubject) => number | undefined;
}

/**
 * A diff's new and unchanged findings are HEAD's (their layer is HEAD's), so HEAD's Dockerfile gives them lines;
 * BASE's fixed ones have none (that Dockerfile is not the one that made them).
 */
export function headLines(head: Review, dockerfile: DockerfileInfo): HeadLines {
  return { dockerfile: dockerfile.path, lineOf: findingLines(head.image, dockerfile, head.base.count) };
}
