import type { Image } from '../model/imageTypes.js';
import type { DockerfileInfo, Instruction } from './parseDockerfile.js';

const OPS = new Set(['RUN', 'COPY', 'ADD', 'WORKDIR', 'ENV', 'LABEL', 'USER', 'CMD', 'ENTRYPOINT', 'EXPOSE', 'VOLUME', 'ARG', 'SHELL', 'HEALTHCHECK', 'STOPSIGNAL', 'ONBUILD', 'MAINTAINER']);

interface Step {
  readonly op: string;
  /** What identifies the step beyond its op: a RUN's command, a COPY/ADD's destination. */
  readonly key: string;
}

/**
 * For each layer, the instruction of the Dockerfile's last stage that made it. The image's history (every builder
 * writes one item per instruction, layer or not) is aligned with that stage's instructions by op, preferring equal
 * commands and destinations, and pushed towards the end of the history: what comes before is the base image's.
 */
export function layerInstructions(image: Image, dockerfile: DockerfileInfo): Array<Instruction | undefined> {
  const out = new Array<Instruction | undefined>(image.layers.length).fill(undefined);
  let lastFrom = -1;
  dockerfile.instructions.forEach((ins, i) => {
    if (ins.op === 'FROM') lastFrom = i;
  });
  const stage = dockerfile.instructions.slice(lastFrom + 1).filter((i) => OPS.has(i.op));
  const history = image.history;
  const hs = history.map((h) => historyStep(h.createdBy));
  const is = stage.map(instructionStep);
  const m = hs.length;
  const k = is.length;
  const score = (i: number, j: number) => (hs[i]!.op !== is[j]!.op ? -1 : hs[i]!.key !== '' && hs[i]!.key === is[j]!.key ? 2 : 1);
  // best[i][j]: the best total alignment of history[i..] with stage[j..]
  const best = Array.from({ length: m + 1 }, () => new Float64Array(k + 1));
  for (let i = m - 1; i >= 0; i--) {
    for (let j = k - 1; j >= 0; j--) {
      const s = score(i, j);
      best[i]![j] = Math.max(best[i + 1]![j]!, best[i]![j + 1]!, s > 0 ? s + best[i + 1]![j + 1]! : 0);
    }
  }
  let i = 0;
  let j = 0;
  while (i < m && j < k) {
    if (best[i]![j] === best[i + 1]![j]) i++; // skip history first: matches go as late as they can
    else if (best[i]![j] === best[i]![j + 1]) j++;
    else {
      const layer = history[i]!.layerIndex;
      if (layer !== undefined && !history[i]!.emptyLayer) out[layer] = stage[j];
      i++;
      j++;
    }
  }
  return out;
}

const squash = (s: string) => s.replace(/\s+/g, ' ').trim();

/** `RUN |2 A=1 B=2 /bin/sh -c cmd # buildkit`, `/bin/sh -c #(nop) COPY file:… in /x`, `/bin/sh -c cmd`, `ADD a /b`. */
export function historyStep(createdBy: string): Step {
  let s = createdBy.trim().replace(/\s*# buildkit$/, '');
  const nop = /^\/bin\/sh -c #\(nop\)\s+([A-Za-z]+)\s*(.*)$/s.exec(s);
  let op = 'RUN';
  if (nop) {
    op = nop[1]!.toUpperCase();
    s = nop[2]!;
  } else {
    const word = /^([A-Z]+)\s+(.*)$/s.exec(s);
    if (word && OPS.has(word[1]!)) {
      op = word[1]!;
      s = word[2]!;
    }
  }
  if (op === 'RUN') return { op, key: squash(s.replace(/^\|\d+(\s+\S+=\S*)*\s+/, '').replace(/^\/bin\/sh -c /, '')) };
  if (op === 'COPY' || op === 'ADD') {
    const into = s.lastIndexOf(' in ');
    return { op, key: destination(into >= 0 ? s.slice(into + 4) : s) };
  }
  return { op, key: '' };
}

function instructionStep(ins: Instruction): Step {
  const text = ins.text.replace(/^(--\S+\s+)+/, '');
  if (ins.op === 'RUN') return { op: 'RUN', key: squash(execForm(text)?.join(' ') ?? text) };
  if (ins.op === 'COPY' || ins.op === 'ADD') return { op: ins.op, key: destination(execForm(text)?.at(-1) ?? text) };
  return { op: ins.op, key: '' };
}

function execForm(text: string): string[] | undefined {
  if (!text.startsWith('[')) return undefined;
  try {
    const v: unknown = JSON.parse(text);
    return Array.isArray(v) && v.every((x) => typeof x === 'string') ? (v as string[]) : undefined;
  } catch {
    return undefined;
  }
}

function destination(s: string): string {
  const words = s.trim().split(/\s+/);
  const last = words[words.length - 1] ?? '';
  return last.length > 1 ? last.replace(/\/+$/, '') : last;
}
