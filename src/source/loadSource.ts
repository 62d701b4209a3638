import { loadImage, type LoadOptions } from '../archive/loadImage.js';
import { ConfigError } from '../errors.js';
import type { Image } from '../model/imageTypes.js';
import { isRegistrySource, type ImageSource } from './openImageRef.js';

/** Any source the input resolution gave: an archive stream (file, stdin, engine) or a registry. */
export function loadSource(source: ImageSource, options: Omit<LoadOptions, 'filePath'>): Promise<Image> {
  if (isRegistrySource(source)) {
    if (options.image !== undefined) throw new ConfigError(`--image ${options.image}: a registry reference names one image; --image chooses inside an archive`);
    return source.load(options);
  }
  return loadImage(source.chunks, source.name, { ...options, ...(source.path ? { filePath: source.path } : {}) });
}
