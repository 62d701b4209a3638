import { closeSync, constants, fstatSync, openSync, readSync, statSync, type Stats } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import tar from 'tar-stream';
import { MAX_DESCRIPTORS, descriptor, type Descriptor } from '../archive/ociTypes.js';
import { InputError } from '../errors.js';
import type { ArchiveSource } from './openArchive.js';

/** Index and manifest blobs are kept as text up to this size (as the archive reader keeps them). */
const MAX_METADATA_BYTES = 64 << 20;
const CHUNK = 1 << 20;
/** Non-blocking, so a file swapped for a FIFO after its stat cannot make the open wait for a writer. */
const OPEN_FLAGS = constants.O_RDONLY | constants.O_NONBLOCK;

interface LayoutFile {
  /** Relative to the layout, as the archive reader will see it. */
  readonly name: string;
  readonly size: number;
}

/** A regular file's size; anything else (a directory, a FIFO, a device) is a clear error, never read. */
function regularFile(dir: string, name: string): Stats | undefined {
  let st: Stats;
  try {
    st = statSync(join(dir, name));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new InputError(`oci:${dir}: ${name}: cannot read (${(err as Error).message})`);
  }
  if (!st.isFile()) throw new InputError(`oci:${dir}: ${name} is not a regular file`);
  return st;
}

function readSmall(dir: string, name: string, size: number): Buffer {
  const fd = openSync(join(dir, name), OPEN_FLAGS);
  try {
    if (!fstatSync(fd).isFile()) throw new InputError(`oci:${dir}: ${name} is not a regular file`);
    const out = Buffer.alloc(size);
    let got = 0;
    while (got < size) {
      const n = readSync(fd, out, got, size - got, got);
      if (n === 0) break;
      got += n;
    }
    return out.subarray(0, got);
  } finally {
    closeSync(fd);
  }
}

/** The descriptors an index or a manifest names (nested manifests, config, layers), or none for any other blob. */
function childDescriptors(json: unknown, where: string): Descriptor[] {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return [];
  const o = json as Record<string, unknown>;
  const out: Descriptor[] = [];
  const list = (v: unknown, what: string) => {
    if (Array.isArray(v)) v.forEach((d, i) => out.push(descriptor(d, `${where} ${what}[${i}]`)));
  };
  list(o['manifests'], 'manifests');
  // a manifest: config and layers[] (an image config has a `config` too, which is no descriptor)
  if (Array.isArray(o['layers'])) {
    if (o['config'] !== undefined) out.push(descriptor(o['config'], `${where} config`));
    list(o['layers'], 'layers');
  }
  return out;
}

function parsedJson(bytes: Buffer): unknown {
  const first = bytes.find((b) => b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09);
  if (first !== 0x7b) return undefined;
  try {
    return JSON.parse(bytes.toString('utf8')) as unknown;
  } catch {
    return undefined; // the archive reader reports invalid JSON where it matters, naming the blob
  }
}

/**
 * The files of the layout the image needs: oci-layout, index.json and every blob its descriptors reach, each a
 * regular file of the size its descriptor declares. Blobs nothing names are never opened.
 */
function layoutFiles(dir: string): LayoutFile[] {
  const index = regularFile(dir, 'index.json');
  if (!index) throw new InputError(`${dir}: not an OCI layout directory (no index.json)`);
  if (index.size > MAX_METADATA_BYTES) throw new InputError(`oci:${dir}: index.json is ${index.size} bytes, too large for an index`);
  const files: LayoutFile[] = [];
  const layout = regularFile(dir, 'oci-layout');
  if (layout) files.push({ name: 'oci-layout', size: layout.size });
  files.push({ name: 'index.json', size: index.size });
  const queue = childDescriptors(parsedJson(readSmall(dir, 'index.json', index.size)), `oci:${dir}: index.json`);
  const seen = new Set<string>();
  for (let visited = 0; queue.length > 0; visited++) {
    if (visited >= MAX_DESCRIPTORS) throw new InputError(`oci:${dir}: the index names more than ${MAX_DESCRIPTORS} descriptors (nested indexes); refusing to visit them all`);
    const d = queue.shift()!;
    if (seen.has(d.digest)) continue;
    seen.add(d.digest);
    const [alg, hex] = d.digest.split(':') as [string, string];
    const name = `blobs/${alg}/${hex}`;
    const st = regularFile(dir, name);
    if (!st) continue; // the archive reader names what is missing, and whether it matters
    if (d.size >= 0 && st.size !== d.size) throw new InputError(`oci:${dir}: ${name} is ${st.size} bytes, its descriptor says ${d.size}`);
    files.push({ name, size: st.size });
    if (st.size <= MAX_METADATA_BYTES) queue.push(...childDescriptors(parsedJson(readSmall(dir, name, Math.min(st.size, MAX_METADATA_BYTES))), `oci:${dir}: ${name}`));
  }
  return files;
}

/** Exactly `size` bytes of a regular file, in 1 MiB reads; a file that changed size while read is an error. */
async function* fileBytes(dir: string, f: LayoutFile): AsyncGenerator<Buffer> {
  const fd = openSync(join(dir, f.name), OPEN_FLAGS);
  try {
    if (!fstatSync(fd).isFile()) throw new InputError(`oci:${dir}: ${f.name} is not a regular file`);
    for (let at = 0; at < f.size; ) {
      const buf = Buffer.allocUnsafe(Math.min(CHUNK, f.size - at));
      const n = readSync(fd, buf, 0, buf.length, at);
      if (n === 0) throw new InputError(`oci:${dir}: ${f.name} ended at ${at} bytes, it had ${f.size}`);
      at += n;
      yield n === buf.length ? buf : buf.subarray(0, n);
    }
  } finally {
    closeSync(fd);
  }
}

/**
 * An OCI layout directory on disk (`oci:DIR`), presented as the tar stream of the files the image needs, packed as
 * they are read: the archive reader sees what `tar -c` of the directory would give, and nothing is copied or
 * written. Only regular files are read, each for the size its descriptor declares, so a FIFO, a device or a
 * directory in blobs/ is a clear error and never a hang.
 */
export function ociDirArchive(dir: string): ArchiveSource {
  const files = layoutFiles(dir);
  const size = files.reduce((s, f) => s + f.size + 1024, 1024);
  const pack = tar.pack();
  async function* chunks(): AsyncGenerator<Buffer> {
    const packing = (async () => {
      for (const f of files) {
        const sink = pack.entry({ name: f.name, size: f.size, mode: 0o644, mtime: new Date(0) });
        for await (const chunk of fileBytes(dir, f)) {
          if (!sink.write(chunk)) await once(sink, 'drain');
        }
        (sink as unknown as { end(): void }).end();
        await once(sink, 'finish');
      }
      pack.finalize();
    })();
    // a packing failure ends the stream with that error; the reader sees it as it reads
    const failed = packing.then(
      () => undefined,
      (err: Error) => {
        pack.destroy(err);
        return err;
      },
    );
    try {
      for await (const c of pack as AsyncIterable<Buffer>) yield c;
    } catch (err) {
      throw (await failed) ?? err;
    } finally {
      pack.destroy();
      await failed;
    }
    const err = await failed;
    if (err) throw err;
  }
  return { name: `oci:${dir}`, size, chunks: chunks() };
}
