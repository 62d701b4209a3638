import { InputError } from '../../errors.js';

/** An image in a registry, normalised as docker normalises names. */
export interface RegistryReference {
  /** The registry as users name it (`docker.io`, `ghcr.io`, `127.0.0.1:5000`): the key for credentials. */
  readonly registry: string;
  /** Where the API answers: Docker Hub's is registry-1.docker.io, every other registry is its own name. */
  readonly endpoint: string;
  /** `library/nginx`, `org/app`. */
  readonly repository: string;
  readonly tag?: string;
  readonly digest?: string;
}

export const DOCKER_HUB = 'docker.io';
const HUB_ALIASES = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io']);

// distribution's reference grammar (reference/regexp.go), lower-case path components
const COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const REPOSITORY = new RegExp(`^${COMPONENT}(?:/${COMPONENT})*$`);
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^sha256:[0-9a-f]{64}$/;

/** A first component that names a host, not a Docker Hub namespace: it has a dot or a port, or is localhost. */
function isHost(component: string): boolean {
  return component.includes('.') || component.includes(':') || component === 'localhost';
}

/**
 * Whether a bare name clearly points at a registry (`ghcr.io/org/app`, `localhost:5000/app`, `127.0.0.1:5000/app`)
 * rather than at an image a local engine may hold under a short name.
 */
export function looksRemote(name: string): boolean {
  const slash = name.indexOf('/');
  if (slash <= 0) return false;
  const first = name.slice(0, slash);
  return first.includes('.') || first.includes(':');
}

/** `[HOST/]REPO[:TAG][@sha256:…]`; no host means Docker Hub (`nginx` is `docker.io/library/nginx:latest`). */
export function parseRegistryReference(text: string, what = text): RegistryReference {
  const bad = (why: string): never => {
    throw new InputError(`${what}: ${why}`);
  };
  let rest = text;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) bad(`${digest} is not a sha256 digest (sha256: and 64 lower-case hex digits)`);
  }
  const slash = rest.indexOf('/');
  let registry = DOCKER_HUB;
  if (slash > 0 && isHost(rest.slice(0, slash))) {
    registry = rest.slice(0, slash);
    rest = rest.slice(slash + 1);
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) bad(`tag ${tag} is not valid (letters, digits, _ . -, at most 128, not starting with . or -)`);
  }
  if (rest === '') bad('no repository name');
  if (!REPOSITORY.test(rest)) {
    bad(rest.toLowerCase() !== rest ? `repository ${rest} must be lower-case` : `${rest} is not a valid repository name`);
  }
  if (HUB_ALIASES.has(registry)) {
    registry = DOCKER_HUB;
    if (!rest.includes('/')) rest = `library/${rest}`;
  }
  return {
    registry,
    endpoint: registry === DOCKER_HUB ? 'registry-1.docker.io' : registry,
    repository: rest,
    ...(tag !== undefined || digest === undefined ? { tag: tag ?? 'latest' } : {}),
    ...(digest ? { digest } : {}),
  };
}

/** `HOST/REPO:TAG` (and `@DIGEST`), the name the image is known by. */
export function formatReference(r: RegistryReference): string {
  return `${r.registry}/${r.repository}${r.tag !== undefined ? `:${r.tag}` : ''}${r.digest ? `@${r.digest}` : ''}`;
}

/** Loopback registries speak plain HTTP by default, as docker allows for them. */
export function isLoopback(registry: string): boolean {
  const host = registry.startsWith('[') ? registry.slice(1, registry.indexOf(']')) : registry.replace(/:\d+$/, '');
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}
