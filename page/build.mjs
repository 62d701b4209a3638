// Bundles the HTML report's page (page/src) into the one script and one stylesheet the CLI inlines
// (src/report/html/pageAssets.ts reads them from dist/page/). Type-checking is tsc's job (npm run build runs both).
import { build } from 'esbuild';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist', 'page');
const banner = '/* fathom HTML report. Includes d3-hierarchy (ISC License, Copyright 2010-2021 Mike Bostock) and pretty-bytes (MIT License, Copyright Sindre Sorhus). */';
await build({
  entryPoints: [join(root, 'page', 'src', 'main.ts')],
  outfile: join(out, 'report.min.js'),
  bundle: true,
  minify: true,
  format: 'iife',
  target: 'es2020',
  platform: 'browser',
  legalComments: 'none',
  banner: { js: banner },
  logLevel: 'warning',
});
await build({
  entryPoints: [join(root, 'page', 'src', 'report.css')],
  outfile: join(out, 'report.min.css'),
  bundle: true,
  minify: true,
  target: 'chrome100',
  logLevel: 'warning',
});
