import xxhash from 'xxhash-wasm';
import { InputError, rethrowAt } from '../errors.js';
import type { LayerBlob } from '../model/imageDescription.js';
import { Kind, type KindCode } from '../model/kinds.js';
import { LayerEntries } from '../model/layerEntries.js';
import { PathTable } from '../model/pathTable.js';
import type { TarEntryType, TarHeader } from '../tar/tarHeader.js';
import { TarParser, type TarSink } from '../tar/tarParser.js';
import { BlobStream, type FileRange, type SourceDigest } from './blobStream.js';
import { ContentProbeCollector, textLimit } from './contentProbe.js';
import { packageDbAt, PackageDbReader } from './packageDb.js';
import { normalizeTarPath, parseWhiteout } from './tarPath.js';

const hasher = xxhash();
type Hasher = Awaited<typeof hasher>;
const EMPTY = new Uint8Array(0);

/** tar entry types → the model's kind codes (others, such as GNU sparse or volume headers, are skipped) */
const KINDS: Partial<Record<TarEntryType, KindCode>> = {
  file: Kind.file,
  'contiguous-file': Kind.file,
  directory: Kind.dir,
  symlink: Kind.symlink,
  link: Kind.hardlink,
  'character-device': Kind.char,
  'block-device': Kind.block,
  fifo: Kind.fifo,
};

/** The regular file being read: its header's fields wait for the end of its content, when its hash is known. */
class FileInProgress {
  private path = '';
  private mode = 0;
  private uid = 0;
  private gid = 0;
  private size = 0;
  // most files arrive in one chunk: hash those in one call and create a streaming hasher only for the rest
  private first: Buffer | undefined;
  private h: ReturnType<Hasher['create64']> | undefined;
  private probe: ContentProbeCollector | undefined;
  private packages: PackageDbReader | undefined;

  constructor(private readonly hash: Hasher) {}

  start(path: string, header: TarHeader): void {
    this.path = path;
    this.mode = header.mode & 0o7777;
    this.uid = header.uid;
    this.gid = header.gid;
    this.size = header.size;
    this.first = undefined;
    this.h = undefined;
    this.probe = new ContentProbeCollector(textLimit(path));
    const db = packageDbAt(path);
    this.packages = db ? new PackageDbReader(db) : undefined;
  }

  update(chunk: Buffer): void {
    this.probe!.update(chunk);
    this.packages?.update(chunk);
    if (this.h) this.h.update(chunk);
    else if (this.first === undefined) this.first = chunk;
    else {
      this.h = this.hash.create64().update(this.first).update(chunk);
      this.first = undefined;
    }
  }

  finish(files: LayerEntries): void {
    const hash = this.h ? this.h.digest() : this.hash.h64Raw(this.first ?? EMPTY);
    const probe = this.probe!.finish();
    const packages = this.packages ? { manager: this.packages.manager, packages: this.packages.finish() } : undefined;
    files.addFile(this.path, Kind.file, this.mode, this.uid, this.gid, this.size, undefined, hash, packages ? { ...probe, packages } : probe);
    this.first = undefined;
    this.packages = undefined;
    this.h = undefined;
    this.probe = undefined;
  }
}

/** A layer's tar members → its entries: whiteouts and opaque markers as deletions, files hashed as they stream. */
class LayerEntryReader implements TarSink {
  readonly files: LayerEntries;
  /** Σ of every header's size, as dive counts a layer. */
  size = 0;
  private readonly file: FileInProgress;
  private inFile = false;
  /** The member being read, to name it when fathom itself fails on it. */
  current = '';

  constructor(
    paths: PathTable,
    hash: Hasher,
    private readonly what: string,
  ) {
    this.files = new LayerEntries(paths);
    this.file = new FileInProgress(hash);
  }

  entry(header: TarHeader): void {
    if (!Number.isSafeInteger(header.size)) throw new InputError(`${this.what}: ${header.name}: a member size of ${header.size} bytes, above 2^53`);
    this.size += header.size;
    this.inFile = false;
    const path = normalizeTarPath(header.name);
    this.current = path;
    if (path === '/') return;
    const wh = parseWhiteout(path);
    if (wh) {
      if (wh.kind === 'whiteout') this.files.addWhiteout(wh.target);
      else if (wh.kind === 'opaque') this.files.addOpaque(wh.dir);
      return;
    }
    const k = KINDS[header.type];
    if (k === undefined) return;
    if (k === Kind.file) {
      this.file.start(path, header);
      this.inFile = true;
      return;
    }
    const link = k === Kind.symlink ? header.linkname : k === Kind.hardlink ? normalizeTarPath(header.linkname) : undefined;
    this.files.addFile(path, k, header.mode & 0o7777, header.uid, header.gid, header.size, link, undefined, undefined);
  }

  data(chunk: Buffer): void {
    if (this.inFile) this.file.update(chunk);
  }

  end(): void {
    if (!this.inFile) return;
    this.file.finish(this.files);
    this.inFile = false;
  }
}

/** A layer blob whose tar has been read; its digests may still be being taken off this thread. */
export interface ReadLayer {
  /** The blob with its digests, once they are known (a failure to take them rejects). */
  finish(): Promise<LayerBlob>;
  /** Stop the digest jobs the read started and wait for them (the load failed elsewhere). */
  abandon(): Promise<void>;
}

/**
 * Read one layer blob's tar into its entries; the digests are asked for later (`finish`), so the caller can read on
 * while the digest worker catches up.
 */
export async function readLayerTar(
  source: AsyncIterable<Buffer>,
  what: string,
  range?: FileRange | SourceDigest,
  paths: PathTable = new PathTable(),
): Promise<ReadLayer> {
  const blob = new BlobStream(source, what, range);
  const reader = new LayerEntryReader(paths, await hasher, what);
  const parser = new TarParser(what, reader);
  try {
    for await (const chunk of blob.tar()) parser.write(chunk);
    parser.finish();
  } catch (err) {
    await blob.abandon();
    rethrowAt(reader.current ? `${what}: ${reader.current}` : what, err);
  }
  return {
    finish: async () => {
      let digests;
      try {
        digests = await blob.digests();
      } catch (err) {
        await blob.abandon();
        rethrowAt(reader.current ? `${what}: ${reader.current}` : what, err);
      }
      const { digest, diffId } = digests;
      return { digest, diffId, compression: blob.compression, compressedSize: blob.compressedSize, size: reader.size, files: reader.files };
    },
    abandon: () => blob.abandon(),
  };
}

/**
 * Read one layer blob (plain tar, gzip or zstd — sniffed by magic bytes) into its entries.
 * Content is hashed as it streams (xxh64 per file, sha256 over the blob and over the tar), never kept.
 */
export async function readLayerBlob(
  source: AsyncIterable<Buffer>,
  what: string,
  range?: FileRange | SourceDigest,
  paths: PathTable = new PathTable(),
): Promise<LayerBlob> {
  return (await readLayerTar(source, what, range, paths)).finish();
}
