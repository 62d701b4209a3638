import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '../../errors.js';

export interface PageAssets {
  readonly script: string;
  readonly style: string;
}

let cached: PageAssets | undefined;

/**
 * The page's script and style as `npm run build` bundled them (page/build.mjs → dist/page/), found upward from this
 * module: from dist/src/report/html and from the CLI's bundle in dist/cli/chunks they are in dist/page/; from the
 * sources (tests run through tsx) in dist/page/ of the checkout.
 */
export function pageAssets(): PageAssets {
  if (cached) return cached;
  const candidates: string[] = [];
  for (let dir = dirname(fileURLToPath(import.meta.url)), i = 0; i < 5; dir = dirname(dir), i++) candidates.push(join(dir, 'page'), join(dir, 'dist', 'page'));
  const dir = candidates.find((d) => existsSync(join(d, 'report.min.js')));
  if (!dir) throw new ConfigError('the HTML report page is not built (dist/page/report.min.js is missing): run npm run build');
  cached = { script: readFileSync(join(dir, 'report.min.js'), 'utf8'), style: readFileSync(join(dir, 'report.min.css'), 'utf8') };
  return cached;
}
