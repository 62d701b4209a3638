// The HTML report of the bench archive, over the built dist/ (what `fathom --report html=FILE` runs): the time to
// make it from the analysed image and its size. bench/run.ts then opens the file in chromium for the first render.
import { createReadStream, writeFileSync } from 'node:fs';
import { analyzeImage } from '../dist/src/analysis/analyzeImage.js';
import { detectBaseLayers } from '../dist/src/analysis/baseLayers.js';
import { summarize } from '../dist/src/ci/check.js';
import { loadImage } from '../dist/src/archive/loadImage.js';
import { renderReport } from '../dist/src/report/formats.js';

const [path, out] = process.argv.slice(2);
const image = await loadImage(createReadStream(path, { highWaterMark: 1 << 20 }), path, { defaultPlatform: 'linux/amd64' });
const analysis = analyzeImage(image);
const t0 = performance.now();
const html = renderReport('html', { image, analysis, gate: summarize([]), version: 'bench', base: detectBaseLayers(image) });
const ms = performance.now() - t0;
writeFileSync(out, html);
const nodes = Number(/"nodes":(\d+)/.exec(html)?.[1] ?? 0);
process.stdout.write(JSON.stringify({ ms, bytes: Buffer.byteLength(html), nodes }));
