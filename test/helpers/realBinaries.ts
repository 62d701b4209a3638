import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import tar from 'tar-stream';
import { once, RULE_IMAGES } from './ruleCases.js';
import { IMAGES } from './shared.js';

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

/** The static busybox of the shared base image. */
export const busybox = once(() => fileFromArchive(join(IMAGES, 'corpus', 'docker-engine', 'busybox-base.tar'), '/bin/busybox'));

/** A file of dynamic-scratch-ok: Debian's ls, its loader and libraries (corpus-rules EXPECTED §4). */
export const fromDynamicOk = (path: string) => fileFromArchive(RULE_IMAGES('docker-engine', 'dynamic-scratch-ok'), path);
