import type { ArchiveProgress } from '../archive/readArchive.js';
import type { SelectOptions } from '../archive/selectImage.js';
import { loadImage } from '../archive/loadImage.js';
import type { Image } from '../model/imageTypes.js';
import type { ArchiveSource } from '../source/openArchive.js';

/** An opened archive and which image of it to review. */
export interface ReviewArchive {
  readonly source: ArchiveSource;
  /** The image and platform asked for, and the platform to prefer when the archive holds several. */
  readonly select: SelectOptions;
}

/** Progress of one archive being read: the caller draws it (or not); `done` comes when the read ends either way. */
export interface LoadProgress {
  readonly update?: ArchiveProgress;
  done(): void;
}

export type ProgressFor = (source: ArchiveSource) => LoadProgress;

/** Read an opened archive into the image model, once: the Image can then be reviewed any number of times. */
export async function loadForReview(archive: ReviewArchive, progressFor?: ProgressFor): Promise<Image> {
  const { source, select } = archive;
  const progress = progressFor?.(source);
  try {
    return await loadImage(source.chunks, source.name, {
      ...select,
      ...(source.path ? { filePath: source.path } : {}),
      ...(progress?.update ? { onProgress: progress.update } : {}),
    });
  } finally {
    progress?.done();
  }
}
