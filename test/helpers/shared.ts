import { createReadStream, existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { loadImage } from '../../src/archive/loadImage.js';
import type { Image } from '../../src/model/imageTypes.js';

/** ../shared beside the project: read-only test data, never needed at run time. */
export const SHARED = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'shared');
export const IMAGES = join(SHARED, 'images');
export const DIVE_FIXTURE = join(IMAGES, 'dive-fixtures', 'test-docker-image.tar');

export function sharedAvailable(): boolean {
  return existsSync(IMAGES);
}

export function loadFile(path: string, opts: { image?: string; platform?: string } = {}): Promise<Image> {
  return loadImage(createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>, path, {
    defaultPlatform: 'linux/amd64',
    filePath: path,
    ...opts,
  });
}

export interface ExpectedRow {
  image: string;
  layouts: string[];
  efficiency: number;
  sizeBytes: number;
  userSizeBytes: number;
  wastedBytes: number;
  /** null for dive's NaN (0/0), which fathom reports as 0. */
  userWastedPercent: number | null;
  reclaimableBytes: number;
}

/** The figures table of ../shared/images/EXPECTED.md, computed there by an independent implementation. */
export function expectedTable(): ExpectedRow[] {
  const text = readFileSync(join(IMAGES, 'EXPECTED.md'), 'utf8');
  const rows: ExpectedRow[] = [];
  for (const line of text.split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    if (cells.length < 10 || !cells[1]!.endsWith('.tar')) continue;
    const [, image, layouts, eff, size, user, wasted, uwp, rec] = cells;
    rows.push({
      image: image!,
      layouts: layouts!.split(',').map((s) => s.trim()),
      efficiency: Number(eff),
      sizeBytes: Number(size),
      userSizeBytes: Number(user),
      wastedBytes: Number(wasted),
      userWastedPercent: uwp === "'NaN'" ? null : Number(uwp),
      reclaimableBytes: Number(rec),
    });
  }
  return rows;
}

export function archivePathFor(row: ExpectedRow, layout: string): string {
  return layout === 'dive-fixtures' ? join(IMAGES, 'dive-fixtures', row.image) : join(IMAGES, 'corpus', layout, row.image);
}

/** Every archive of the shared corpus (each image in each layout), plus dive's own fixture. */
export function sharedImages(): string[] {
  const corpus = join(IMAGES, 'corpus');
  const out = [DIVE_FIXTURE];
  for (const layout of readdirSync(corpus).sort()) {
    if (layout === 'dockerfiles') continue;
    for (const f of readdirSync(join(corpus, layout)).sort()) if (f.endsWith('.tar')) out.push(join(corpus, layout, f));
  }
  return out;
}
