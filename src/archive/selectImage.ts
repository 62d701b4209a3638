import { posix } from 'node:path';
import { InputError } from '../errors.js';
import type { ArchiveContents } from './readArchive.js';
import {
  MAX_DESCRIPTORS,
  isIndexJson,
  parseConfig,
  parseDockerManifest,
  parseIndex,
  parseJson,
  parseManifest,
  type Descriptor,
  type Platform,
  type RawConfig,
} from './ociTypes.js';

/** One image of the archive, with everything needed to build the model: where its blobs are and what they claim. */
export interface SelectedImage {
  readonly layout: 'docker-archive' | 'oci' | 'docker25';
  readonly tags: readonly string[];
  readonly configPath: string;
  readonly configDigest: string;
  readonly config: RawConfig;
  readonly manifestDigest?: string;
  readonly manifestAnnotations: Readonly<Record<string, string>>;
  readonly indexAnnotations: Readonly<Record<string, string>>;
  readonly layers: ReadonlyArray<{
    readonly archivePath: string;
    readonly mediaType?: string;
    readonly descriptor?: Descriptor;
  }>;
  readonly notes: readonly string[];
}

export interface SelectOptions {
  /** `NAME[:TAG]`, or the image's position (0-based) in the archive. */
  readonly image?: string;
  /** `os/arch[/variant]`; when absent `defaultPlatform` is preferred. */
  readonly platform?: string;
  readonly defaultPlatform: string;
}

interface Candidate {
  /** Groups the platforms of one image (the top-level entry it came from). */
  readonly group: number;
  readonly names: string[];
  readonly manifestDigest?: string;
  readonly manifest?: ReturnType<typeof parseManifest>;
  readonly docker?: ReturnType<typeof parseDockerManifest>[number];
  readonly indexAnnotations: Record<string, string>;
  platform?: Platform;
}

const MANIFEST_LIST = /manifest\.list\.v2|image\.index\.v1/;

export function blobPath(digest: string): string {
  const [alg, hex] = digest.split(':');
  return `blobs/${alg}/${hex}`;
}

export function formatPlatform(p: Platform | undefined): string {
  if (!p) return 'unknown';
  return [p.os, p.architecture, p.variant].filter(Boolean).join('/');
}

export function parsePlatform(s: string): Platform {
  const [os, architecture, variant] = s.split('/');
  if (!os || !architecture) throw new InputError(`--platform ${s}: expected os/arch[/variant], e.g. linux/amd64`);
  return variant ? { os, architecture, variant } : { os, architecture };
}

export function platformMatches(want: Platform, have: Platform | undefined): boolean {
  if (!have) return false;
  if (want.os !== have.os || want.architecture !== have.architecture) return false;
  if (!want.variant || !have.variant) return true;
  return want.variant === have.variant;
}

/** Resolve `path` through the outer tar's links (podman writes `<id>/layer.tar` as a symlink). */
export function resolveArchivePath(contents: ArchiveContents, path: string): string {
  let p = posix.normalize(path).replace(/^\.\//, '');
  for (let hops = 0; hops < 16 && contents.links.has(p); hops++) p = contents.links.get(p)!;
  return p;
}

function metadataJson(contents: ArchiveContents, path: string, archive: string): unknown {
  const file = contents.metadata.get(resolveArchivePath(contents, path));
  if (!file) throw new InputError(`${archive}: missing ${path} (referenced by the manifest but not in the archive)`);
  return parseJson(file.text, `${archive}: ${path}`);
}

function refNames(annotations: Record<string, string>): string[] {
  const out: string[] = [];
  const full = annotations['io.containerd.image.name'];
  const ref = annotations['org.opencontainers.image.ref.name'];
  if (full) out.push(full);
  if (ref && ref !== full) out.push(ref);
  return out;
}

/** Walk index.json and nested indexes down to image manifests. */
function ociCandidates(contents: ArchiveContents, archive: string): Candidate[] {
  const index = parseIndex(metadataJson(contents, 'index.json', archive), `${archive}: index.json`);
  const out: Candidate[] = [];
  let visited = 0;
  const visit = (d: Descriptor, group: number, names: string[], annotations: Record<string, string>, depth: number) => {
    if (depth > 8) throw new InputError(`${archive}: index nesting deeper than 8 levels`);
    if (++visited > MAX_DESCRIPTORS) throw new InputError(`${archive}: index.json and its nested indexes name more than ${MAX_DESCRIPTORS} manifests; refusing to visit them all`);
    const where = `${archive}: ${blobPath(d.digest)}`;
    const json = metadataJson(contents, blobPath(d.digest), archive);
    if (MANIFEST_LIST.test(d.mediaType) || isIndexJson(json)) {
      const nested = parseIndex(json, where);
      for (const m of nested.manifests) visit(m, group, names, { ...annotations, ...nested.annotations }, depth + 1);
      return;
    }
    // attestation manifests (BuildKit provenance/SBOM) are not runnable images
    if (d.annotations['vnd.docker.reference.type'] === 'attestation-manifest') return;
    if (d.platform?.os === 'unknown') return;
    const manifest = parseManifest(json, where);
    out.push({
      group,
      names,
      manifestDigest: d.digest,
      manifest,
      indexAnnotations: annotations,
      ...(d.platform ? { platform: d.platform } : {}),
    });
  };
  index.manifests.forEach((d, i) => visit(d, i, refNames(d.annotations), { ...index.annotations }, 0));
  return out;
}

function dockerCandidates(contents: ArchiveContents, archive: string): Candidate[] {
  const entries = parseDockerManifest(metadataJson(contents, 'manifest.json', archive), `${archive}: manifest.json`);
  return entries.map((docker, group) => ({ group, names: [...docker.repoTags], docker, indexAnnotations: {} }));
}

function nameMatches(names: readonly string[], want: string): boolean {
  const strip = (n: string) => n.replace(/^(docker\.io\/)?(library\/)?/, '').replace(/^localhost\//, '');
  const withTag = (n: string) => (/:[^/]+$/.test(n) ? n : n + ':latest');
  return names.some((n) => n === want || strip(n) === strip(want) || withTag(strip(n)) === withTag(strip(want)));
}

function describeGroups(cands: Candidate[]): string {
  const seen = new Map<number, Candidate>();
  for (const c of cands) if (!seen.has(c.group)) seen.set(c.group, c);
  return [...seen.values()].map((c) => `[${c.group}] ${c.names.join(', ') || '(untagged)'}`).join('; ');
}

function configFor(contents: ArchiveContents, c: Candidate, archive: string) {
  const configPath = c.manifest ? blobPath(c.manifest.config.digest) : c.docker!.config;
  const resolved = resolveArchivePath(contents, configPath);
  const file = contents.metadata.get(resolved);
  if (!file && contents.digests.has(resolved)) throw new InputError(`${archive}: image config ${configPath} is not a JSON object`);
  if (!file) throw new InputError(`${archive}: missing image config ${configPath}`);
  if (c.manifest && file.digest !== c.manifest.config.digest) {
    throw new InputError(`${archive}: image config ${configPath} has digest ${file.digest}, the manifest says ${c.manifest.config.digest}`);
  }
  return { configPath: resolved, digest: file.digest, config: parseConfig(parseJson(file.text, `${archive}: ${configPath}`), `${archive}: ${configPath}`) };
}

/**
 * Pick the image to analyse from the archive's manifests: `--image` among several images, `--platform` (or the
 * host's) among the platforms of a multi-platform index. The layer order always comes from the manifest.
 */
export function selectImage(contents: ArchiveContents, archive: string, options: SelectOptions): SelectedImage {
  const notes: string[] = [];
  const hasIndex = contents.metadata.has('index.json');
  const hasDocker = contents.metadata.has(resolveArchivePath(contents, 'manifest.json'));
  if (!hasIndex && !hasDocker) {
    throw new InputError(`${archive}: no manifest.json or index.json: not a docker save or OCI image archive`);
  }
  let cands = hasIndex ? ociCandidates(contents, archive) : dockerCandidates(contents, archive);
  // Docker >= 25 writes both: take the names people know (RepoTags) from manifest.json
  const docker = hasIndex && hasDocker ? dockerCandidates(contents, archive) : [];
  if (cands.length === 0) throw new InputError(`${archive}: ${hasIndex ? 'index.json lists no runnable image' : 'manifest.json lists no image'}`);

  if (options.image !== undefined) {
    const want = options.image;
    if (/^\d+$/.test(want)) {
      const n = Number(want);
      cands = cands.filter((c) => c.group === n);
    } else {
      cands = cands.filter((c) => {
        const extra = docker.filter((d) => c.manifest && d.docker!.config.endsWith(c.manifest.config.digest.split(':')[1]!));
        return nameMatches([...c.names, ...extra.flatMap((d) => d.names)], want);
      });
    }
    if (cands.length === 0) {
      const all = hasIndex ? ociCandidates(contents, archive) : dockerCandidates(contents, archive);
      throw new InputError(`${archive}: no image matches --image ${want}; the archive holds: ${describeGroups(all)}`);
    }
  }
  const groups = new Set(cands.map((c) => c.group));
  if (groups.size > 1) {
    throw new InputError(`${archive}: the archive holds ${groups.size} images, choose one with --image NAME[:TAG] or its number: ${describeGroups(cands)}`);
  }

  const configs = new Map<Candidate, ReturnType<typeof configFor>>();
  const cfg = (c: Candidate) => {
    if (!configs.has(c)) configs.set(c, configFor(contents, c, archive));
    return configs.get(c)!;
  };
  for (const c of cands) {
    if (!c.platform) {
      const rc = cfg(c).config;
      if (rc.os && rc.architecture) c.platform = { os: rc.os, architecture: rc.architecture, ...(rc.variant ? { variant: rc.variant } : {}) };
    }
  }
  let chosen: Candidate;
  if (cands.length === 1) {
    chosen = cands[0]!;
    const want = parsePlatform(options.platform ?? options.defaultPlatform);
    if (chosen.platform && !platformMatches(want, chosen.platform)) {
      if (options.platform) {
        throw new InputError(`${archive}: no image for platform ${options.platform}; available: ${formatPlatform(chosen.platform)}`);
      }
      notes.push(`the archive holds a single image for ${formatPlatform(chosen.platform)} (not this host's ${options.defaultPlatform}); analysing it`);
    }
  } else {
    const want = parsePlatform(options.platform ?? options.defaultPlatform);
    const match = cands.filter((c) => platformMatches(want, c.platform));
    if (match.length === 0) {
      throw new InputError(
        `${archive}: no image for platform ${formatPlatform(want)}; available: ${cands.map((c) => formatPlatform(c.platform)).join(', ')} (choose with --platform)`,
      );
    }
    chosen = match[0]!;
    if (!options.platform) notes.push(`multi-platform image: analysing ${formatPlatform(chosen.platform)} (choose another with --platform)`);
  }

  const { configPath, digest, config } = cfg(chosen);
  if (chosen.manifest) {
    const m = chosen.manifest;
    const dockerNames = docker.filter((d) => resolveArchivePath(contents, d.docker!.config) === configPath).flatMap((d) => d.names);
    return {
      layout: hasDocker ? 'docker25' : 'oci',
      tags: dockerNames.length > 0 ? dockerNames : chosen.names,
      configPath,
      configDigest: digest,
      config,
      ...(chosen.manifestDigest ? { manifestDigest: chosen.manifestDigest } : {}),
      manifestAnnotations: m.annotations,
      indexAnnotations: chosen.indexAnnotations,
      layers: m.layers.map((d) => ({ archivePath: resolveArchivePath(contents, blobPath(d.digest)), mediaType: d.mediaType, descriptor: d })),
      notes,
    };
  }
  const d = chosen.docker!;
  return {
    layout: 'docker-archive',
    tags: d.repoTags,
    configPath,
    configDigest: digest,
    config,
    manifestAnnotations: {},
    indexAnnotations: {},
    layers: d.layers.map((p) => ({ archivePath: resolveArchivePath(contents, p) })),
    notes,
  };
}
