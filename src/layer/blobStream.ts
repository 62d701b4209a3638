import { createHash, type Hash } from 'node:crypto';
import { InputError } from '../errors.js';
import type { Compression } from '../model/imageTypes.js';
import { BLOCK } from '../tar/tarHeader.js';
import { decompress } from './compression.js';
import { digestWorkerBehind, hashFileRange, ParallelSha256, type RangeHash } from './parallelSha256.js';
import { looksLikeTar, peek, sniffCompression } from './sniff.js';

/** Where a blob sits verbatim in a plain archive file, so its digest can be taken by reading the file. */
export interface FileRange {
  readonly path: string;
  readonly offset: number;
  readonly size: number;
}

/** The source takes the blob's sha256 itself as the bytes arrive (a registry download, off this thread): asked at the end. */
export interface SourceDigest {
  readonly digest: () => Promise<string>;
}

/**
 * One layer blob as it streams: its compression sniffed from the first bytes, the tar inside it decompressed, and
 * both digests taken on the way (sha256 of the blob as stored, and of the tar: the diff_id) off this thread.
 * Read `tar()` to its end once, then ask for `digests()`.
 */
export class BlobStream {
  compression: Compression = 'none';
  compressedSize = 0;
  /**
   * From a file, the worker re-reads the blob itself for its digest: the compressed bytes are never copied here.
   * From a stream (stdin, an engine) they are hashed on this thread: copying them into the worker's ring and
   * messaging it cost more than the hash (bench archive from a registry: 0.90x the CPU, 0.93x the time). A source
   * that hashes them where they arrive (the registry's download thread) says so with a SourceDigest.
   */
  private rawHash: Hash | undefined;
  private fromFile: RangeHash | undefined;
  /** The file digest as a settled outcome: a failure is handled the moment it happens, whoever asks later. */
  private fromFileOutcome: Promise<{ digest: string } | { error: Error }> | undefined;
  /** For an uncompressed blob the tar is the blob: one hash serves both digests. */
  private tarHash: ParallelSha256 | undefined;
  private started = false;

  constructor(
    private readonly source: AsyncIterable<Buffer>,
    private readonly what: string,
    private readonly range: FileRange | SourceDigest | undefined,
  ) {
    // A file's blob that starts while the worker is still behind on the blobs before it is hashed here instead, if
    // it turns out plain (tar() decides): the read layers' digests are asked for at the end of the archive
    // (readArchive), so this thread, which would otherwise wait for them, shares the hashing.
    this.rawHash = !range || ('path' in range && digestWorkerBehind()) ? createHash('sha256') : undefined;
  }

  async *tar(): AsyncGenerator<Buffer> {
    const { head, stream } = await peek(this.raw(), BLOCK);
    if (head.length === 0) throw new InputError(`${this.what}: empty layer blob`);
    this.started = true;
    this.compression = sniffCompression(head);
    // a plain blob must be a tar; one shorter than a header block is left to the tar parser to judge
    if (this.compression === 'none' && head.length >= BLOCK && !looksLikeTar(head)) {
      throw new InputError(`${this.what}: not a tar, gzip or zstd layer`);
    }
    // a compressed blob's bytes are this thread's bottleneck (the decompression): the worker re-reads them after all
    if (this.range && 'path' in this.range && this.compression !== 'none') this.rawHash = undefined;
    if (this.range && 'path' in this.range && !this.rawHash) {
      this.fromFile = hashFileRange(this.range.path, this.range.offset, this.range.size);
      this.fromFileOutcome = this.fromFile.digest.then(
        (digest) => ({ digest }),
        (error: Error) => ({ error }),
      );
    }
    // the decompressed bytes reach the worker through the ring: one copy here is far cheaper than a second gunzip there
    if (this.compression !== 'none') this.tarHash = new ParallelSha256();
    const tarHash = this.tarHash;
    for await (const chunk of decompress(stream, this.compression, this.what)) {
      const wait = tarHash?.update(chunk);
      if (wait) await wait;
      yield chunk;
    }
  }

  private async *raw(): AsyncGenerator<Buffer> {
    const rawHash = this.rawHash;
    for await (const chunk of this.source) {
      rawHash?.update(chunk);
      this.compressedSize += chunk.length;
      yield chunk;
    }
  }

  async digests(): Promise<{ digest: string; diffId: string }> {
    if (!this.started) throw new InputError(`${this.what}: empty layer blob`);
    const fromSource = this.range && 'digest' in this.range ? await this.range.digest() : undefined;
    const outcome = await this.fromFileOutcome;
    this.fromFile = undefined;
    if (outcome && 'error' in outcome) throw new InputError(`${this.what}: cannot re-read the blob for its digest (${outcome.error.message})`);
    const digest = fromSource ?? outcome?.digest ?? 'sha256:' + this.rawHash!.digest('hex');
    return { digest, diffId: this.tarHash ? await this.tarHash.digest() : digest };
  }

  /**
   * After a read that failed: stop the digest jobs this blob started and wait for them, so nothing it began outlives
   * the load (a later failure of one would be an unhandled rejection in a long-lived process).
   */
  async abandon(): Promise<void> {
    this.tarHash?.drop();
    this.tarHash = undefined;
    if (!this.fromFile) return;
    this.fromFile.cancel();
    this.fromFile = undefined;
    await this.fromFileOutcome;
  }
}
