/**
 * The model's three numbering schemes. They are plain numbers at run time (typed-array indexes); the brands keep
 * them apart for the type checker, and parameters are named after them:
 * - `pathId: PathId`: a path in the archive's PathTable (0 is `/`, a parent's id is below its children's);
 * - `row: LayerRow`: an entry's row in its own layer's columns (LayerEntries), in tar order;
 * - `id: EntryId`: an entry image-wide, after stacking (ImageFiles), ascending with layer and then row.
 * Where a function returns one of them, a negative value means "none".
 */
declare const brand: unique symbol;
type Numbered<Scheme extends string> = number & { readonly [brand]: Scheme };

export type PathId = Numbered<'PathId'>;
export type LayerRow = Numbered<'LayerRow'>;
export type EntryId = Numbered<'EntryId'>;

export const ROOT_PATH = 0 as PathId;
export const NO_PATH = -1 as PathId;
export const NO_ENTRY = -1 as EntryId;
