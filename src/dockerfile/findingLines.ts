import type { Image } from '../model/imageTypes.js';
import { layerInstructions } from './layerLines.js';
import type { DockerfileInfo, Instruction } from './parseDockerfile.js';

/** What a finding is about, as far as its Dockerfile line goes. */
export interface FindingSubject {
  readonly path?: string;
  readonly configField?: string;
  readonly layer?: number;
}

/**
 * The Dockerfile line a finding comes from: a config field at the last instruction of the final stage that sets
 * it (USER, CMD, ENTRYPOINT, HEALTHCHECK, LABEL), or that stage's FROM when the base image set it; a file at the
 * instruction that made its layer (history against the final stage's instructions, as layerLines aligns them),
 * or the FROM line for a base-image layer (the first `baseLayers`). Undefined for what has no line (an image-wide figure).
 */
export function findingLines(image: Image, dockerfile: DockerfileInfo, baseLayers: number): (s: FindingSubject) => number | undefined {
  const byLayer = layerInstructions(image, dockerfile);
  let lastFrom = -1;
  dockerfile.instructions.forEach((ins, i) => {
    if (ins.op === 'FROM') lastFrom = i;
  });
  const stage: readonly Instruction[] = dockerfile.instructions.slice(lastFrom + 1);
  const fromLine = dockerfile.instructions[lastFrom]?.line;
  const last = (...ops: string[]) => [...stage].reverse().find((i) => ops.includes(i.op))?.line;
  const fieldLine = (field: string): number | undefined => {
    const written = /^Dockerfile:(\d+)$/.exec(field);
    if (written) return Number(written[1]);
    if (field === 'config.User') return last('USER') ?? fromLine;
    if (field === 'config.Cmd') return last('CMD', 'ENTRYPOINT') ?? fromLine;
    if (field === 'config.Entrypoint') return last('ENTRYPOINT') ?? fromLine;
    if (field === 'config.Healthcheck') return last('HEALTHCHECK') ?? fromLine;
    if (field.startsWith('config.Labels')) return last('LABEL') ?? fromLine;
    if (field.startsWith('config.')) return fromLine;
    return undefined;
  };
  return (s) => {
    if (s.configField !== undefined) {
      const line = fieldLine(s.configField);
      if (line !== undefined) return line;
    }
    if (s.layer !== undefined) return s.layer < baseLayers ? fromLine : byLayer[s.layer]?.line;
    return undefined;
  };
}
