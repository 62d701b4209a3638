/**
 * The Debian fixture images (debianImages.ts) and a private podman for a test file: `debianFixture()` at the top
 * level registers the file's `before` (the images built or taken from the cache, then the podman) and `after` (the
 * podman's storage removed); each test asks `fx.needs(t)`, which skips it with the reason when the images cannot be
 * built here. A file's own `before` that uses them awaits `fx.ready()` first: Node 20 starts a file's top-level
 * `before` hooks without waiting for the one before to finish.
 */
import { after, before } from 'node:test';
import { debianImages, debianImagesUnavailable, type DebianImages } from './debianImages.js';
import { PrivatePodman } from './privatePodman.js';

export interface DebianFixture {
  /** Why the images cannot be built here (the tests skip), or undefined. */
  readonly unavailable: string | undefined;
  /** The images; only once `before` has run and only when `unavailable` is undefined. */
  readonly images: DebianImages;
  /** The private podman (not made with `{ podman: false }`). */
  readonly podman: PrivatePodman;
  /** Resolves once the images (and the podman) are there: a file's own `before` that uses them awaits it first. */
  ready(): Promise<void>;
  /** False, with the test skipped, when the images cannot be built here. */
  needs(t: { skip(message: string): void }): boolean;
}

/** The build takes 1.5–2 minutes from a clean machine (debootstrap), once per machine. */
const BUILD_TIMEOUT_MS = 20 * 60 * 1000;

export function debianFixture(options: { podman?: boolean } = {}): DebianFixture {
  const unavailable = debianImagesUnavailable();
  let images: DebianImages | undefined;
  let podman: PrivatePodman | undefined;
  let loading: Promise<void> | undefined;
  const ready = () =>
    (loading ??= (async () => {
      if (unavailable) return;
      images = await debianImages();
      if (options.podman !== false) podman = new PrivatePodman();
    })());
  before(ready, { timeout: BUILD_TIMEOUT_MS });
  after(() => podman?.close());
  return {
    unavailable,
    ready,
    get images() {
      if (!images) throw new Error(unavailable ?? 'the Debian fixture images are read before the file\'s before hook ran');
      return images;
    },
    get podman() {
      if (!podman) throw new Error(unavailable ?? 'no private podman: debianFixture({ podman: false }), or read before the before hook ran');
      return podman;
    },
    needs(t) {
      if (unavailable) t.skip(unavailable);
      return !unavailable;
    },
  };
}
