import { createHash } from 'node:crypto';

/**
 * What a finding is, whatever image and run it comes from: the check, what it is about (an in-image path or a
 * config field) and what was found there with the numbers left out (a layer index, a size or a count changes
 * when a layer is inserted below, not the finding). Never a layer index or a position in a list.
 */
export function findingIdentity(checkId: string, subject: string, what: string): string {
  return [checkId, subject, what.replace(/\d+/g, '#')].join('\0');
}

/** 32 hex digits of sha256: the form of every fingerprint fathom writes (SARIF, GitLab, diff JSON). */
export function fingerprintOf(...parts: readonly string[]): string {
  return createHash('sha256').update(parts.join('\0')).digest('hex').slice(0, 32);
}

/**
 * The image part of a report's fingerprints: the repository without tag or digest (`registry/app` for
 * `registry/app:1.4`), so a finding keeps its fingerprint when the tag changes from build to build and two
 * images' findings never share one; the image id when the image has no name.
 */
export function imageKey(tags: readonly string[], id: string): string {
  const name = tags[0];
  if (name === undefined) return id;
  const at = name.indexOf('@');
  const bare = at >= 0 ? name.slice(0, at) : name;
  const colon = bare.lastIndexOf(':');
  return colon > bare.lastIndexOf('/') ? bare.slice(0, colon) : bare;
}
