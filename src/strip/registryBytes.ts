import { InputError } from '../errors.js';
import { decompress } from '../layer/compression.js';
import type { RegistrySource } from '../source/registry/registryImage.js';
import { KeptFiles, type SecondRead } from './sourceBytes.js';

/**
 * The second read from a registry: a new session fetches, by digest, the config and only the layers that hold a kept
 * file, each checked against its digest as it streams (the config whole; a layer at its end, before any of its bytes
 * is used). A remote blob cannot be read by offset, so every kept file's bytes go to the spool under `spoolDir`: at
 * most the kept bytes on disk, nothing of them in memory.
 */
export const fromRegistry =
  (source: RegistrySource): SecondRead =>
  async (image, wanted, spoolDir) => {
    const registry = source.blobs();
    const kept = new KeptFiles(spoolDir, source.name);
    try {
      const config = await registry.bytes(image.id, -1, `${source.name}: config ${image.id}`);
      for (const layer of image.layers) {
        const want = wanted.get(layer.index);
        if (!want || want.size === 0) continue;
        const what = `${source.name}: layer ${layer.index} (${layer.digest})`;
        // the blob's digest is checked at its end: a decompressor that stopped early would leave it unchecked
        let checked = false;
        const blob = async function* (): AsyncGenerator<Buffer> {
          yield* registry.blob(layer.digest, layer.compressedSize, what);
          checked = true;
        };
        const parser = kept.layer(layer.index, want, what);
        for await (const c of decompress(blob(), layer.compression, what)) parser.write(c);
        parser.finish();
        if (!checked) throw new InputError(`${what}: bytes after the end of the layer's tar stream; its digest was not checked`);
      }
      return await kept.finish(config);
    } catch (err) {
      kept.abandon();
      throw err;
    } finally {
      registry.close();
    }
  };
