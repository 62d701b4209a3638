/**
 * Every kind of entry a layer holds, by the code its kind column stores (a Uint8Array: the values are the column
 * format). The file kinds come first; a whiteout and an opaque-directory marker are deletions, not files.
 */
export const Kind = {
  file: 0,
  dir: 1,
  symlink: 2,
  hardlink: 3,
  char: 4,
  block: 5,
  fifo: 6,
  whiteout: 7,
  opaque: 8,
} as const;

export type KindName = keyof typeof Kind;
export type KindCode = (typeof Kind)[KindName];
/** What a file-like entry is; whiteouts and opaque markers are entries of their own types. */
export type FileKind = Exclude<KindName, 'whiteout' | 'opaque'>;

const NAMES: KindName[] = [];
for (const name of Object.keys(Kind) as KindName[]) NAMES[Kind[name]] = name;

export function kindName(code: KindCode): KindName {
  return NAMES[code]!;
}

/** Whether the code is a file-like entry (not a whiteout or an opaque marker). */
export function isFileKind(code: KindCode): boolean {
  return code < Kind.whiteout;
}
