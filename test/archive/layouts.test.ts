import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createReadStream, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { analyzeImage } from '../../src/analysis/analyzeImage.js';
import { loadImage } from '../../src/archive/loadImage.js';
import { InputError } from '../../src/errors.js';
import { layerEntries } from '../helpers/model.js';
import { chunksOf, dockerArchive, ociArchive, type ImageSpec } from '../helpers/buildArchive.js';
import { DIVE_FIXTURE, IMAGES } from '../helpers/shared.js';

const load = (buf: Buffer, opts: { image?: string; platform?: string; defaultPlatform?: string } = {}) =>
  loadImage(chunksOf(buf), 'x.tar', { defaultPlatform: 'linux/amd64', ...opts });

const layerA = { items: [{ name: 'a.txt', content: 'aaaa' }], createdBy: 'COPY a.txt /' };
const layerB = { items: [{ name: 'b.txt', content: 'bb' }], createdBy: 'COPY b.txt /' };

function img(tag: string, arch = 'amd64', variant?: string): ImageSpec {
  return { tag, architecture: arch, ...(variant ? { variant } : {}), layers: [layerA, { ...layerB, items: [{ name: `${tag.replace(/\W/g, '_')}.txt`, content: tag }] }] };
}

test('layer order comes from the manifest, not from the order of tar entries', async () => {
  for (const manifestFirst of [true, false]) {
    const image = await load(await dockerArchive([{ tag: 'o:1', layers: [layerA, layerB] }], { manifestFirst }));
    assert.deepEqual(image.layers.map((l) => l.command), ['COPY a.txt /', 'COPY b.txt /']);
    assert.deepEqual(image.tags, ['o:1']);
  }
});

test('several images in one archive: --image by name, by tag-less name, by number; the error lists them', async () => {
  const buf = await dockerArchive([img('web:1'), img('db:2')]);
  await assert.rejects(load(buf), (e: Error) => e instanceof InputError && /holds 2 images.*\[0\] web:1.*\[1\] db:2/.test(e.message));
  assert.deepEqual((await load(buf, { image: 'db:2' })).tags, ['db:2']);
  assert.deepEqual((await load(buf, { image: '1' })).tags, ['db:2']);
  await assert.rejects(load(buf, { image: 'nope' }), /no image matches --image nope; the archive holds: \[0\] web:1; \[1\] db:2/);
});

test('a multi-platform OCI index picks the host platform, or --platform; the error lists what is there', async () => {
  const buf = await ociArchive([img('m', 'amd64'), img('m', 'arm64', 'v8'), img('m', 'arm', 'v7')], { multiPlatform: true });
  const host = await load(buf);
  assert.equal(host.config.architecture, 'amd64');
  assert.match(host.notes.join(), /multi-platform image: analysing linux\/amd64/);
  const arm = await load(buf, { platform: 'linux/arm/v7' });
  assert.equal(arm.config.architecture, 'arm');
  assert.equal(arm.config.variant, 'v7');
  await assert.rejects(load(buf, { platform: 'linux/s390x' }), /no image for platform linux\/s390x; available: linux\/amd64, linux\/arm64\/v8, linux\/arm\/v7/);
  await assert.rejects(load(buf, { platform: 'linux' }), /expected os\/arch/);
});

test('an index holding a single image is used whatever its platform, with a note', async () => {
  const image = await load(await ociArchive([img('solo', 'arm64')]));
  assert.equal(image.config.architecture, 'arm64');
  assert.match(image.notes.join(), /single image for linux\/arm64 \(not this host's linux\/amd64\)/);
});

test('several images by ref name in an OCI layout', async () => {
  const buf = await ociArchive([img('a'), img('b')], { refNames: ['one', 'two'] });
  assert.deepEqual((await load(buf, { image: 'two' })).tags, ['two']);
});

test('a gzip-compressed archive (docker save | gzip) reads the same as the plain one', async () => {
  const plain = readFileSync(DIVE_FIXTURE);
  const a = analyzeImage(await load(plain));
  const b = analyzeImage(await load(gzipSync(plain)));
  assert.equal(b.efficiency, a.efficiency);
  assert.equal(b.wastedBytes, a.wastedBytes);
  assert.equal(b.sizeBytes, 1220598);
});

test('gzip and zstd layers (sniffed by magic, whatever the media type) give the same model as plain ones', async () => {
  const items = [{ name: 'etc/' }, { name: 'etc/big', content: Buffer.alloc(300000, 7) }, { name: 'etc/small', content: 'x' }];
  const results = [];
  for (const compression of ['none', 'gzip', 'zstd'] as const) {
    const image = await load(await ociArchive([{ tag: 't', layers: [{ items, compression }] }]));
    assert.equal(image.layers[0]!.compression, compression);
    results.push(layerEntries(image.layers[0]!).map((e) => [e.path, e.type === 'entry' ? e.hash : '']));
  }
  assert.deepEqual(results[1], results[0]);
  assert.deepEqual(results[2], results[0]);
});

test('real zstd, estargz and kaniko archives from dive (one linux/arm64 image each)', async () => {
  for (const f of ['test-oci-zstd-image.tar', 'test-oci-estargz-image.tar', 'test-kaniko-image.tar']) {
    const image = await loadImage(chunksOf(readFileSync(join(IMAGES, 'dive-fixtures', f))), f, { defaultPlatform: 'linux/amd64' });
    assert.ok(image.layers.length >= 1, f);
  }
  const estargz = await loadImage(chunksOf(readFileSync(join(IMAGES, 'dive-fixtures', 'test-oci-estargz-image.tar'))), 'e', { defaultPlatform: 'linux/arm64' });
  assert.deepEqual(layerEntries(estargz.layers[0]!).map((e) => e.path), ['/README.md'], 'the eStargz TOC is not a file of the image');
});

test('docker25 layout: names from manifest.json, media types and digests from the OCI manifest', async () => {
  const image = await loadImage(chunksOf(readFileSync(join(IMAGES, 'corpus', 'docker25', 'busybox-tiny.tar'))), 'd25', { defaultPlatform: 'linux/amd64' });
  assert.equal(image.layout, 'docker25');
  assert.deepEqual(image.tags, ['corpus/busybox-tiny:latest']);
  assert.ok(image.manifestDigest?.startsWith('sha256:'));
});

test('a layer blob used twice (identical empty layers) keeps separate entries per layer', async () => {
  const empty = { items: [{ name: 'd/' }] };
  const image = await load(await ociArchive([{ tag: 'e', layers: [layerA, empty, empty] }]));
  assert.equal(image.layers.length, 3);
  assert.equal(layerEntries(image.layers[1]!)[0]!.layer, 1);
  assert.equal(layerEntries(image.layers[2]!)[0]!.layer, 2);
});

test('digests taken by re-reading the archive file equal those hashed from the stream (plain, gzip and zstd layers)', async () => {
  for (const layout of ['docker-engine', 'oci-archive', 'oci-archive-zstd']) {
    const path = join(IMAGES, 'corpus', layout, 'links-tiny.tar');
    const fromFile = await loadImage(createReadStream(path) as AsyncIterable<Buffer>, path, { defaultPlatform: 'linux/amd64', filePath: path });
    const fromStream = await loadImage(chunksOf(readFileSync(path)), path, { defaultPlatform: 'linux/amd64' });
    assert.deepEqual(fromFile.layers.map((l) => [l.digest, l.diffId]), fromStream.layers.map((l) => [l.digest, l.diffId]), layout);
  }
});
