// `node bench/stream.mjs GB DIFFID_CACHE` writes to stdout a docker-archive of about GB gigabytes in few files (1 GiB
// each, one plain layer), for `… | fathom -`: memory must stay flat however many bytes pass. The layer's diff_id is
// computed while it streams the first time and kept in DIFFID_CACHE, so later runs only copy bytes. The config and
// manifest come after the layer, as fathom reads members in any order.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

const gb = Number(process.argv[2] ?? 50);
const cacheFile = process.argv[3];
const FILE = 1 << 30;
const files = Math.max(1, Math.round((gb * 1e9) / FILE));
const block = Buffer.alloc(1 << 20);
for (let i = 0; i < block.length; i++) block[i] = (i * 2654435761) >>> 24;

function header(name, size, type = '0') {
  const h = Buffer.alloc(512);
  h.write(name, 0, 100, 'latin1');
  h.write('0000644\0', 100);
  h.write('0000000\0', 108);
  h.write('0000000\0', 116);
  h.write(size.toString(8).padStart(11, '0') + '\0', 124);
  h.write('14000000000\0', 136);
  h.write('        ', 148);
  h.write(type, 156);
  h.write('ustar\0' + '00', 257, 'latin1');
  let sum = 0;
  for (const b of h) sum += b;
  h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 'latin1');
  return h;
}
const pad = (n) => Buffer.alloc((512 - (n % 512)) % 512);

const cached = cacheFile && existsSync(cacheFile) ? JSON.parse(readFileSync(cacheFile, 'utf8')) : {};
let diffId = cached[files];
const hash = diffId ? undefined : createHash('sha256');

async function write(buf) {
  hash?.update(buf);
  if (!process.stdout.write(buf)) await new Promise((r) => process.stdout.once('drain', r));
}

/** Outer-tar bytes that are not part of the layer (not hashed into its diff_id). */
async function outer(buf) {
  if (!process.stdout.write(buf)) await new Promise((r) => process.stdout.once('drain', r));
}

const layerSize = files * (512 + FILE) + 1024;
await outer(header('layer/layer.tar', layerSize));
for (let f = 0; f < files; f++) {
  await write(header(`data/big${f}.bin`, FILE));
  for (let off = 0; off < FILE; off += block.length) await write(block);
}
await write(Buffer.alloc(1024));
await outer(pad(layerSize));
if (hash) {
  diffId = 'sha256:' + hash.digest('hex');
  if (cacheFile) writeFileSync(cacheFile, JSON.stringify({ ...cached, [files]: diffId }));
}
const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', config: {}, rootfs: { type: 'layers', diff_ids: [diffId] }, history: [{ created_by: `${files} files of 1 GiB` }] }));
const configName = createHash('sha256').update(config).digest('hex') + '.json';
const manifest = Buffer.from(JSON.stringify([{ Config: configName, RepoTags: ['fathom/stream:bench'], Layers: ['layer/layer.tar'] }]));
for (const [name, data] of [[configName, config], ['manifest.json', manifest]]) {
  await outer(header(name, data.length));
  await outer(data);
  await outer(pad(data.length));
}
await outer(Buffer.alloc(1024));
