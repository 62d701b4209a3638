import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDockerfile } from '../../src/dockerfile/parseDockerfile.js';

const parse = (text: string) => parseDockerfile(text, 'Dockerfile');

test('a heredoc body is part of its RUN, not instructions: FROM inside it is script text', () => {
  const df = parse(['FROM alpine:3.19', 'RUN <<EOF', 'cat > /Dockerfile.sample <<X', 'FROM ubuntu:latest', 'X', 'echo done', 'EOF', 'USER app'].join('\n'));
  assert.deepEqual(df.froms.map((f) => [f.line, f.image]), [[1, 'alpine:3.19']]);
  assert.deepEqual(df.instructions.map((i) => [i.line, i.op]), [[1, 'FROM'], [2, 'RUN'], [8, 'USER']]);
  assert.match(df.instructions[1]!.text, /^<<EOF\ncat > \/Dockerfile\.sample <<X\nFROM ubuntu:latest\nX\necho done\nEOF$/);
});

test('heredocs: <<- strips leading tabs from the delimiter line, quoted delimiters, two heredocs in one COPY', () => {
  const df = parse(['FROM scratch', 'RUN <<-"END"', '\techo a', '\tEND', 'COPY <<A <<B /dst/', 'a', 'A', 'b', 'B', 'CMD ["x"]'].join('\n'));
  assert.deepEqual(df.instructions.map((i) => [i.line, i.op]), [[1, 'FROM'], [2, 'RUN'], [5, 'COPY'], [10, 'CMD']]);
});

test('line continuations, comments inside them, the escape directive, ARG before FROM', () => {
  const df = parse(['ARG BASE=debian', 'ARG TAG=12', 'FROM ${BASE}:${TAG} AS build', 'RUN apt-get update \\', '# a comment inside', '  && apt-get install -y gcc', 'FROM build'].join('\n'));
  assert.deepEqual(df.froms.map((f) => [f.line, f.image, f.stage]), [[3, 'debian:12', false], [7, 'build', true]]);
  assert.deepEqual(df.instructions.map((i) => [i.line, i.op]), [[1, 'ARG'], [2, 'ARG'], [3, 'FROM'], [4, 'RUN'], [7, 'FROM']]);
  assert.equal(df.instructions[3]!.text, 'apt-get update    && apt-get install -y gcc');
  const windows = parse(['# escape=`', 'FROM mcr.microsoft.com/windows/servercore:ltsc2022', 'RUN dir `', '  C:\\'].join('\n'));
  assert.deepEqual(windows.instructions.map((i) => [i.line, i.op, i.text]), [[2, 'FROM', 'mcr.microsoft.com/windows/servercore:ltsc2022'], [3, 'RUN', 'dir    C:\\']]);
  // a directive only counts at the top: after an instruction it is a comment
  const late = parse(['FROM a:1', '# escape=`', 'RUN x `', 'RUN y'].join('\n'));
  assert.deepEqual(late.instructions.map((i) => i.op), ['FROM', 'RUN', 'RUN']);
});
