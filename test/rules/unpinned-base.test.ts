import { join } from 'node:path';
import { unpinnedBase } from '../../rules/unpinnedBase.js';
import { corpusRules, ruleCases, shared } from '../helpers/ruleCases.js';
import { IMAGES } from '../helpers/shared.js';

const label = 'config.Labels["org.opencontainers.image.base.name"]';
const ociFormat = (name: string) => shared(join(IMAGES, 'corpus-rules', 'oci-format-build', `${name}.tar`));
const noEvidence = corpusRules('waste-tiny');
const worst = ' (worst case: the tag moves with every release)';

const dockerfile = [
  '# syntax=docker/dockerfile:1',
  'ARG NODE_VERSION=20',
  'ARG BASE=alpine',
  'FROM --platform=$BUILDPLATFORM node:${NODE_VERSION}-alpine AS build',
  'RUN npm ci',
  'FROM build AS test',
  'FROM scratch AS empty',
  'FROM ${BASE}',
  'FROM \\',
  '  debian:latest',
  'FROM gcr.io/distroless/static@sha256:' + 'a'.repeat(64),
  'FROM registry.local:5000/team/img',
].join('\n');

ruleCases(unpinnedBase, {
  valid: [
    { name: 'base-labels-pinned: name@sha256 and base.digest (corpus-rules EXPECTED §7)', image: corpusRules('base-labels-pinned') },
    { name: 'podman --format oci, pinned: manifest annotations and config labels both carry a digest', image: ociFormat('base-labels-pinned') },
    {
      name: 'a Dockerfile whose bases are all pinned or scratch',
      image: noEvidence,
      dockerfile: { text: `FROM golang:1.22@sha256:${'b'.repeat(64)} AS b\nFROM scratch\nCOPY --from=b /app /app\n` },
    },
  ],
  invalid: [
    {
      name: 'base-labels-unpinned: the config label names busybox:latest with no digest, the worse case',
      image: corpusRules('base-labels-unpinned'),
      findings: [{ configField: label, message: /docker\.io\/library\/busybox:latest uses the moving tag latest and no digest \(worst case/ }],
    },
    {
      // the manifest annotations of a --format oci build carry base.digest; the config label still has none
      name: 'podman --format oci, unpinned: only the config label is a finding',
      image: ociFormat('base-labels-unpinned'),
      findings: [{ configField: label }],
    },
    {
      name: '--dockerfile: ARG defaults substituted, stages and scratch skipped; latest/no tag worse than a bare tag',
      image: noEvidence,
      dockerfile: { text: dockerfile, path: 'app/Dockerfile' },
      findings: [
        { configField: 'Dockerfile:4', message: 'app/Dockerfile:4: FROM node:20-alpine is a tag without @sha256: digest', fix: 'FROM node:20-alpine@sha256:<digest>' },
        { configField: 'Dockerfile:8', message: `app/Dockerfile:8: FROM alpine has no tag (means :latest) and no digest${worst}` },
        { configField: 'Dockerfile:9', message: `app/Dockerfile:9: FROM debian:latest uses the moving tag latest and no digest${worst}` },
        { configField: 'Dockerfile:12', message: `app/Dockerfile:12: FROM registry.local:5000/team/img has no tag (means :latest) and no digest${worst}` },
      ],
    },
  ],
  skipped: [{ name: 'no evidence: SKIP with the reason, never a silent pass', image: noEvidence, skip: /no base-image evidence/ }],
});
