import { installedPackages } from '../analysis/packages.js';
import type { DockerfileInfo } from '../dockerfile/parseDockerfile.js';
import type { Image } from '../model/imageTypes.js';
import type { Review, ReviewPlan } from '../review/review.js';
import { alignLayers, type LayerAlignment } from './alignLayers.js';
import { compareBase, type BaseComparison } from './compareBase.js';
import { compareConfig, type ConfigChange } from './compareConfig.js';
import { compareFiles, type FileChange } from './compareFiles.js';
import { compareFindings, type FindingsDiff } from './compareFindings.js';
import { comparePackages, type PackagesDiff } from './comparePackages.js';
import { compareWaste, figure, type Figure, type WasteDiff } from './compareWaste.js';
import { directoryTotals, type DirectoryTotal } from './directoryTotals.js';
import { compareStart, type StartComparison } from './startRegression.js';

export interface DiffSide {
  /** What the user named (path, `-`, reference). */
  readonly source: string;
  readonly name: string;
  /** The config digest. */
  readonly id: string;
  readonly layers: number;
}

/** Everything `fathom diff` says about BASE → HEAD; every report and the gate render from it. */
export interface ImageDiff {
  readonly base: DiffSide;
  readonly head: DiffSide;
  readonly layers: LayerAlignment;
  /** dive's sizeBytes (Σ of the layers' uncompressed sizes). */
  readonly sizeBytes: Figure;
  readonly pullBytes: number;
  readonly files: readonly FileChange[];
  readonly directories: readonly DirectoryTotal[];
  readonly waste: WasteDiff;
  readonly findings: FindingsDiff;
  readonly start: StartComparison;
  readonly config: readonly ConfigChange[];
  readonly baseImage: BaseComparison;
  readonly packages: PackagesDiff;
}

export interface DiffOptions {
  /** The Dockerfiles the sides were built from, for their FROM lines. */
  readonly baseDockerfile?: DockerfileInfo;
  readonly headDockerfile?: DockerfileInfo;
  /** List every path below an added or removed directory too. */
  readonly expand?: boolean;
}

function side(image: Image): DiffSide {
  return { source: image.source, name: image.tags[0] ?? image.id, id: image.id, layers: image.layers.length };
}

/** Compare two reviews of images loaded into one PathTable. Pure: no I/O. */
export function diffReviews(base: Review, head: Review, plan: ReviewPlan, opts: DiffOptions = {}): ImageDiff {
  const layers = alignLayers(base.image, head.image);
  const files = compareFiles(base.image.files, head.image.files, { expand: opts.expand === true });
  const findings = compareFindings(base, head, plan);
  return {
    base: side(base.image),
    head: side(head.image),
    layers,
    sizeBytes: figure(base.analysis.sizeBytes, head.analysis.sizeBytes),
    pullBytes: layers.pullBytes,
    files,
    directories: directoryTotals(files, 200),
    waste: compareWaste(base.analysis, head.analysis, layers.shared),
    findings,
    start: compareStart(base, head, findings),
    config: compareConfig(base.image.config, head.image.config),
    baseImage: compareBase(
      { image: base.image, split: base.base, ...(opts.baseDockerfile ? { dockerfile: opts.baseDockerfile } : {}) },
      { image: head.image, split: head.base, ...(opts.headDockerfile ? { dockerfile: opts.headDockerfile } : {}) },
      layers,
    ),
    packages: comparePackages(installedPackages(base.image.files), installedPackages(head.image.files)),
  };
}
