import { formatPlatform, parsePlatform, platformMatches } from '../../archive/selectImage.js';
import { imageConfig, isIndexJson, parseConfig, parseIndex, parseJson, parseManifest, type Descriptor, type Manifest, type RawConfig } from '../../archive/ociTypes.js';
import type { ArchiveProgress } from '../../archive/readArchive.js';
import { readLayerBlob } from '../../layer/readLayer.js';
import { buildImage } from '../../model/buildImage.js';
import type { ImageDescription, LayerBlob } from '../../model/imageDescription.js';
import type { Image } from '../../model/imageTypes.js';
import { PathTable } from '../../model/pathTable.js';
import { ReadAhead } from './readAhead.js';
import { formatReference, type RegistryReference } from './reference.js';
import { RegistryClient, RegistryError, type FetchedManifest, type RegistryClientOptions } from './registryClient.js';

export interface RegistryLoadOptions {
  /** `os/arch[/variant]` to pick from an index; when absent `defaultPlatform` is preferred. */
  readonly platform?: string;
  readonly defaultPlatform: string;
  /** Bytes read of `total` (the manifest's layer sizes), and which layer. */
  readonly onProgress?: ArchiveProgress;
  /** Intern the image's paths in this table (shared by the two images of a diff) instead of a new one. */
  readonly paths?: PathTable;
}

/** Blobs of the image's repository by digest, each checked against its digest (strip's second read). */
export interface RegistryBlobs {
  /** The blob's bytes as they arrive; the iteration throws at its end when they do not hash to `digest`. */
  blob(digest: string, size: number, what: string): AsyncIterable<Buffer>;
  /** A small blob whole (a config: at most 64 MiB), its digest checked; `size` -1 when unknown. */
  bytes(digest: string, size: number, what: string): Promise<Buffer>;
  close(): void;
}

/** An image in a registry: nothing is fetched until `load`. */
export interface RegistrySource {
  readonly kind: 'registry';
  readonly name: string;
  load(options: RegistryLoadOptions): Promise<Image>;
  /** A new session with the registry (its own connections and token) for blobs the loaded image named. */
  blobs(): RegistryBlobs;
}

/** Layers downloading at once: the one being parsed and the next two. */
const PARALLEL_LAYERS = 3;
/** What each download may run ahead of the parser; the socket's backpressure holds the rest. */
const READ_AHEAD_BYTES = 16 << 20;
/** As for archives: configs and manifests are small; a bigger one is not an image config. */
const MAX_CONFIG_BYTES = 64 << 20;
const MAX_INDEX_DEPTH = 4;

const INDEX_TYPE = /manifest\.list\.v2|image\.index\.v1/;

interface Chosen {
  readonly manifest: Manifest;
  readonly digest: string;
  readonly indexAnnotations: Record<string, string>;
  /** Whether the manifest came out of an index by platform (else a single image, checked against its config). */
  readonly fromIndex: boolean;
  readonly notes: string[];
}

/** Attestation manifests (BuildKit provenance/SBOM) and `unknown/unknown` entries are not runnable images. */
function runnable(d: Descriptor): boolean {
  return d.annotations['vnd.docker.reference.type'] !== 'attestation-manifest' && d.platform?.os !== 'unknown';
}

async function chooseManifest(client: RegistryClient, ref: RegistryReference, name: string, o: RegistryLoadOptions): Promise<Chosen> {
  let fetched: FetchedManifest = await client.manifest(ref.digest ?? ref.tag ?? 'latest', `${name}: manifest`);
  const notes: string[] = [];
  let indexAnnotations: Record<string, string> = {};
  let fromIndex = false;
  for (let depth = 0; INDEX_TYPE.test(fetched.mediaType) || isIndexJson(fetched.json); depth++) {
    if (depth >= MAX_INDEX_DEPTH) throw new RegistryError(`${name}: index nesting deeper than ${MAX_INDEX_DEPTH} levels`);
    const index = parseIndex(fetched.json, `${name}: index ${fetched.digest}`);
    indexAnnotations = { ...indexAnnotations, ...index.annotations };
    const cands = index.manifests.filter(runnable);
    if (cands.length === 0) throw new RegistryError(`${name}: the index lists no runnable image`);
    const want = parsePlatform(o.platform ?? o.defaultPlatform);
    const match = cands.filter((d) => platformMatches(want, d.platform));
    let d: Descriptor;
    if (match.length > 0) d = match[0]!;
    else if (cands.length === 1 && !cands[0]!.platform) d = cands[0]!;
    else {
      throw new RegistryError(`${name}: no image for platform ${formatPlatform(want)}; available: ${cands.map((c) => formatPlatform(c.platform)).join(', ')} (choose with --platform)`);
    }
    if (!o.platform && cands.length > 1) notes.push(`multi-platform image: analysing ${formatPlatform(d.platform)} (choose another with --platform)`);
    fromIndex = d.platform !== undefined;
    fetched = await client.manifest(d.digest, `${name}: manifest ${d.digest} (${formatPlatform(d.platform)})`);
  }
  return { manifest: parseManifest(fetched.json, `${name}: manifest ${fetched.digest}`), digest: fetched.digest, indexAnnotations, fromIndex, notes };
}

/** A single image (no index) for another platform than asked: an error with --platform, a note without. */
function checkPlatform(config: RawConfig, chosen: Chosen, name: string, o: RegistryLoadOptions): void {
  if (chosen.fromIndex || !config.os || !config.architecture) return;
  const have = { os: config.os, architecture: config.architecture, ...(config.variant ? { variant: config.variant } : {}) };
  if (platformMatches(parsePlatform(o.platform ?? o.defaultPlatform), have)) return;
  if (o.platform) throw new RegistryError(`${name}: no image for platform ${o.platform}; available: ${formatPlatform(have)}`);
  chosen.notes.push(`the registry holds a single image for ${formatPlatform(have)} (not this host's ${o.defaultPlatform}); analysing it`);
}

const layerName = (name: string, index: number, d: Descriptor) => `${name}: layer ${index} (${d.digest})`;

/**
 * Every distinct layer blob through the layer reader, in manifest order, while the next ones download. The download
 * thread takes the blob's sha256 as the bytes arrive, the reader the tar's; a blob whose bytes do not hash to its
 * descriptor stops the load here, naming the layer.
 */
async function readLayers(
  client: RegistryClient,
  layers: readonly Descriptor[],
  name: string,
  paths: PathTable,
  onProgress: ArchiveProgress | undefined,
): Promise<Map<string, LayerBlob>> {
  const first = new Map<string, number>();
  layers.forEach((d, i) => first.has(d.digest) || first.set(d.digest, i));
  const unique = [...first].map(([, i]) => ({ d: layers[i]!, index: i }));
  const total = unique.reduce((s, u) => s + Math.max(0, u.d.size), 0);
  const fetches = unique.map((u) => client.layer(u.d.digest, u.d.size, layerName(name, u.index, u.d)));
  const downloads = fetches.map((f) => new ReadAhead(f.pieces, READ_AHEAD_BYTES));
  const out = new Map<string, LayerBlob>();
  let bytes = 0;
  try {
    for (let k = 0; k < unique.length; k++) {
      for (let j = k; j < Math.min(unique.length, k + PARALLEL_LAYERS); j++) downloads[j]!.start();
      const { d, index } = unique[k]!;
      const what = layerName(name, index, d);
      const entry = `layer ${index + 1}/${layers.length} ${d.digest.slice(0, 19)}`;
      const counted = async function* (): AsyncGenerator<Buffer> {
        for await (const c of downloads[k]!) {
          bytes += c.length;
          onProgress?.({ bytes, entry, total });
          yield c;
        }
      };
      const blob = await readLayerBlob(counted(), what, { digest: fetches[k]!.digest }, paths);
      if (blob.digest !== d.digest) {
        throw new RegistryError(`${what} is corrupt: its bytes hash to ${blob.digest}; the registry's copy is damaged or it was altered in transit`);
      }
      out.set(d.digest, blob);
    }
  } finally {
    for (const dl of downloads) dl.cancel();
  }
  return out;
}

/** The registry's image as assembly takes every source's: the config, the manifest's layers in order, the blobs read. */
function describe(name: string, ref: RegistryReference, chosen: Chosen, config: RawConfig, blobs: Map<string, LayerBlob>, paths: PathTable): ImageDescription {
  const m = chosen.manifest;
  return {
    source: name,
    layout: 'registry',
    tags: [formatReference(ref)],
    configDigest: m.config.digest,
    config: imageConfig(config),
    history: config.history,
    manifestDigest: chosen.digest,
    manifestAnnotations: m.annotations,
    indexAnnotations: chosen.indexAnnotations,
    // an OCI layout's name for the blob: what `Layer.archivePath` and the JSON's layerBlobs say for archives too
    layers: m.layers.map((d) => ({ location: `blobs/${d.digest.replace(':', '/')}`, blob: d.digest, descriptor: d })),
    blobs,
    paths,
    notes: chosen.notes,
  };
}

export function registrySource(ref: RegistryReference, options: RegistryClientOptions): RegistrySource {
  const name = `registry://${formatReference(ref)}`;
  return {
    kind: 'registry',
    name,
    async load(o) {
      const client = new RegistryClient(ref, options);
      try {
        const chosen = await chooseManifest(client, ref, name, o);
        const cd = chosen.manifest.config;
        const where = `${name}: config ${cd.digest}`;
        const text = (await client.blobBytes(cd.digest, cd.size, MAX_CONFIG_BYTES, where)).toString('utf8');
        const config = parseConfig(parseJson(text, where), where);
        checkPlatform(config, chosen, name, o);
        const paths = o.paths ?? new PathTable();
        const blobs = await readLayers(client, chosen.manifest.layers, name, paths, o.onProgress);
        return buildImage(describe(name, ref, chosen, config, blobs, paths));
      } finally {
        client.close();
      }
    },
    blobs() {
      const client = new RegistryClient(ref, options);
      return {
        blob: (digest, size, what) => client.verifiedBlob(digest, size, what),
        bytes: (digest, size, what) => client.blobBytes(digest, size, MAX_CONFIG_BYTES, what),
        close: () => client.close(),
      };
    },
  };
}
