import type { ArchiveProgress } from '../archive/readArchive.js';
import type { SelectOptions } from '../archive/selectImage.js';
import type { Image } from '../model/imageTypes.js';
import type { PathTable } from '../model/pathTable.js';
import { loadSource } from '../source/loadSource.js';
import type { ImageSource } from '../source/openImageRef.js';

/** An opened source (an archive stream or a registry) and which image of it to review. */
export interface ReviewArchive {
  readonly source: ImageSource;
  /** The image and platform asked for, and the platform to prefer when the archive holds several. */
  readonly select: SelectOptions;
}

/** Progress of one archive being read: the caller draws it (or not); `done` comes when the read ends either way. */
export interface LoadProgress {
  readonly update?: ArchiveProgress;
  done(): void;
}

export type ProgressFor = (source: ImageSource) => LoadProgress;

/**
 * Read an opened source into the image model, once: the Image can then be reviewed any number of times. Two
 * images loaded with one `paths` table name every path by the same id.
 */
export async function loadForReview(archive: ReviewArchive, progressFor?: ProgressFor, paths?: PathTable): Promise<Image> {
  const { source, select } = archive;
  const progress = progressFor?.(source);
  try {
    return await loadSource(source, {
      ...select,
      ...(progress?.update ? { onProgress: progress.update } : {}),
      ...(paths ? { paths } : {}),
    });
  } finally {
    progress?.done();
  }
}
