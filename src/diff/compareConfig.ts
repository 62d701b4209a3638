import type { ImageConfig } from '../model/imageTypes.js';

/** One runtime setting that differs: `Env.PATH`, `Labels.version`, `ExposedPorts` (one port each), `Cmd`… */
export interface ConfigChange {
  readonly field: string;
  readonly change: 'added' | 'removed' | 'changed';
  /** As the config writes it: a string, an exec-form list, or null when unset. */
  readonly base?: string | readonly string[] | null;
  readonly head?: string | readonly string[] | null;
}

const sameList = (a: readonly string[] | null, b: readonly string[] | null) =>
  a === b || (a !== null && b !== null && a.length === b.length && a.every((x, i) => x === b[i]));

function envMap(env: readonly string[]): Map<string, string> {
  const m = new Map<string, string>();
  for (const e of env) {
    const i = e.indexOf('=');
    m.set(i < 0 ? e : e.slice(0, i), i < 0 ? '' : e.slice(i + 1));
  }
  return m;
}

function keyedChanges(prefix: string, base: ReadonlyMap<string, string>, head: ReadonlyMap<string, string>): ConfigChange[] {
  const out: ConfigChange[] = [];
  for (const [k, v] of base) {
    const w = head.get(k);
    if (w === undefined) out.push({ field: `${prefix}.${k}`, change: 'removed', base: v });
    else if (w !== v) out.push({ field: `${prefix}.${k}`, change: 'changed', base: v, head: w });
  }
  for (const [k, w] of head) if (!base.has(k)) out.push({ field: `${prefix}.${k}`, change: 'added', head: w });
  return out.sort((a, b) => (a.field < b.field ? -1 : a.field > b.field ? 1 : 0));
}

function setChanges(field: string, base: readonly string[], head: readonly string[]): ConfigChange[] {
  const b = new Set(base);
  const h = new Set(head);
  return [
    ...[...b].filter((x) => !h.has(x)).sort().map((x): ConfigChange => ({ field, change: 'removed', base: x })),
    ...[...h].filter((x) => !b.has(x)).sort().map((x): ConfigChange => ({ field, change: 'added', head: x })),
  ];
}

function scalar(field: string, base: string, head: string): ConfigChange[] {
  if (base === head) return [];
  return [{ field, change: base === '' ? 'added' : head === '' ? 'removed' : 'changed', base, head }];
}

function list(field: string, base: readonly string[] | null, head: readonly string[] | null): ConfigChange[] {
  if (sameList(base, head)) return [];
  return [{ field, change: base === null ? 'added' : head === null ? 'removed' : 'changed', base, head }];
}

/** What changed in the settings a container starts with (docker's names for them). */
export function compareConfig(base: ImageConfig, head: ImageConfig): ConfigChange[] {
  return [
    ...list('Entrypoint', base.entrypoint, head.entrypoint),
    ...list('Cmd', base.cmd, head.cmd),
    ...scalar('User', base.user, head.user),
    ...scalar('WorkingDir', base.workingDir, head.workingDir),
    ...keyedChanges('Env', envMap(base.env), envMap(head.env)),
    ...setChanges('ExposedPorts', base.exposedPorts, head.exposedPorts),
    ...setChanges('Volumes', base.volumes, head.volumes),
    ...keyedChanges('Labels', new Map(Object.entries(base.labels)), new Map(Object.entries(head.labels))),
    ...list('Healthcheck', base.healthcheck?.test ?? null, head.healthcheck?.test ?? null),
    ...scalar('Platform', platform(base), platform(head)),
  ];
}

const platform = (c: ImageConfig) => `${c.os}/${c.architecture}${c.variant ? `/${c.variant}` : ''}`;
