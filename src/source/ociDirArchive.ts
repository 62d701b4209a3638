import { createReadStream, existsSync, readdirSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import tar from 'tar-stream';
import { InputError } from '../errors.js';
import type { ArchiveSource } from './openArchive.js';

/** Files of an OCI layout directory that the reader needs, relative to it. */
function layoutFiles(dir: string): string[] {
  const files = ['oci-layout', 'index.json'].filter((f) => existsSync(join(dir, f)));
  const blobs = join(dir, 'blobs');
  if (existsSync(blobs)) {
    for (const alg of readdirSync(blobs)) {
      const algDir = join(blobs, alg);
      if (!statSync(algDir).isDirectory()) continue;
      for (const f of readdirSync(algDir)) files.push(`blobs/${alg}/${f}`);
    }
  }
  return files;
}

/**
 * An OCI layout directory on disk (`oci:DIR`), presented as the tar stream of the same files, packed as it is read:
 * the archive reader sees exactly what `tar -c` of the directory would give, and nothing is copied or written.
 */
export function ociDirArchive(dir: string): ArchiveSource {
  if (!existsSync(join(dir, 'index.json'))) throw new InputError(`${dir}: not an OCI layout directory (no index.json)`);
  const files = layoutFiles(dir);
  const size = files.reduce((s, f) => s + statSync(join(dir, f)).size + 1024, 1024);
  const pack = tar.pack();
  void (async () => {
    try {
      for (const f of files) {
        const p = join(dir, f);
        const st = statSync(p);
        const sink = pack.entry({ name: f, size: st.size, mode: 0o644, mtime: new Date(0) });
        for await (const chunk of createReadStream(p, { highWaterMark: 1 << 20 })) {
          if (!sink.write(chunk as Buffer)) await once(sink, 'drain');
        }
        (sink as unknown as { end(): void }).end();
        await once(sink, 'finish');
      }
      pack.finalize();
    } catch (err) {
      pack.destroy(err as Error);
    }
  })();
  return { name: `oci:${dir}`, size, chunks: pack as unknown as AsyncIterable<Buffer> };
}
