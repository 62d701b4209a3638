import { loadImage } from '../../src/archive/loadImage.js';
import type { FileEntry } from '../../src/model/entryTypes.js';
import type { Image } from '../../src/model/imageTypes.js';
import { chunksOf, dockerArchive, type LayerSpec } from './buildArchive.js';
import { historyMap } from './model.js';

/** An image of these layers, read through a docker-save archive built here. */
export async function imageOf(layers: LayerSpec[]): Promise<Image> {
  const buf = await dockerArchive([{ layers, tag: 'test:latest' }]);
  return loadImage(chunksOf(buf), 'test.tar', { defaultPlatform: 'linux/amd64' });
}

/** The merged filesystem at the top: path → entry, for entries nothing hid. */
export function finalTree(img: Image): Map<string, FileEntry> {
  const out = new Map<string, FileEntry>();
  for (const [path, events] of historyMap(img.files)) {
    for (const e of events) if (e.type === 'entry' && e.hiddenBy < 0) out.set(path, e);
  }
  return out;
}

/** A small first layer: /etc/passwd, and /app with a file and a subdirectory with another. */
export const BASE_LAYER: LayerSpec = {
  items: [
    { name: 'etc/' },
    { name: 'etc/passwd', content: 'root:x:0:0::/root:/bin/sh\n' },
    { name: 'app/' },
    { name: 'app/a.txt', content: 'a'.repeat(100) },
    { name: 'app/sub/' },
    { name: 'app/sub/b.txt', content: 'b'.repeat(50) },
  ],
};
