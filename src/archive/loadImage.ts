import { rethrowAt } from '../errors.js';
import { buildImage } from '../model/buildImage.js';
import type { Image } from '../model/imageTypes.js';
import type { PathTable } from '../model/pathTable.js';
import { describeImage } from './describeImage.js';
import { readArchive, type ArchiveProgress } from './readArchive.js';
import { selectImage, type SelectOptions } from './selectImage.js';

export interface LoadOptions extends SelectOptions {
  readonly onProgress?: ArchiveProgress;
  /** The archive's file, when `input` is that file read from its start (digests are then taken off this thread). */
  readonly filePath?: string;
  /** Intern the image's paths in this table (shared by the two images of a diff) instead of a new one. */
  readonly paths?: PathTable;
}

/** From an archive byte stream to the image model, in one streaming pass. */
export async function loadImage(input: AsyncIterable<Buffer>, name: string, options: LoadOptions): Promise<Image> {
  const contents = await readArchive(input, name, options.onProgress, options.filePath, options.paths);
  try {
    const selected = selectImage(contents, name, options);
    return buildImage(describeImage(contents, selected, name));
  } catch (err) {
    rethrowAt(name, err);
  }
}
