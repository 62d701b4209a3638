/** The FROM lines of a Dockerfile, with ARG defaults substituted: what the unpinned-base rule needs. */
export interface FromLine {
  readonly line: number;
  /** The image reference after ARG substitution, e.g. `node:20-alpine`. */
  readonly image: string;
  readonly stageName?: string;
  /** FROM names an earlier stage (`FROM build`), not an image. */
  readonly stage: boolean;
  readonly scratch: boolean;
}

/** One instruction, continuation lines joined: `op` upper-cased, `text` the rest as written. */
export interface Instruction {
  readonly line: number;
  readonly op: string;
  readonly text: string;
}

export interface DockerfileInfo {
  readonly path: string;
  readonly froms: readonly FromLine[];
  readonly instructions: readonly Instruction[];
}

/** The escape character: `# escape=`` among the parser directives at the top (before any other line). */
function escapeChar(lines: readonly string[]): string {
  for (const l of lines) {
    const d = /^#\s*([a-z]+)\s*=\s*(\S*)\s*$/i.exec(l);
    if (!d) break;
    if (d[1]!.toLowerCase() === 'escape') return d[2] === '`' ? '`' : '\\';
  }
  return '\\';
}

/** The heredoc delimiters an instruction opens (`RUN <<EOF`, `COPY <<-"A" <<B /dst/`), in order. */
function heredocs(instruction: string): Array<{ word: string; stripTabs: boolean }> {
  if (!/^(RUN|COPY|ADD)\s/i.test(instruction)) return [];
  return [...instruction.matchAll(/<<(-?)(["']?)([A-Za-z_][A-Za-z0-9_]*)\2/g)].map((m) => ({ word: m[3]!, stripTabs: m[1] === '-' }));
}

/**
 * The Dockerfile's instructions with their first line: continuation lines joined (the escape directive's
 * character), comment lines dropped, and heredoc bodies (`RUN <<EOF` … `EOF`) kept inside their instruction —
 * a `FROM` in a heredoc is script text, not an instruction.
 */
function logicalLines(text: string): Array<{ line: number; text: string }> {
  const lines = text.split(/\r?\n/);
  const escape = escapeChar(lines);
  const out: Array<{ line: number; text: string }> = [];
  let buf = '';
  let start = 0;
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    if (/^\s*#/.test(raw)) continue; // a comment, also inside a continuation
    if (buf === '') start = i + 1;
    const trimmed = raw.replace(/\s+$/, '');
    if (trimmed.endsWith(escape)) {
      buf += trimmed.slice(0, -1) + ' ';
      continue;
    }
    buf += raw;
    const body: string[] = [];
    for (const doc of heredocs(buf.trim())) {
      for (i++; i < lines.length; i++) {
        const l = doc.stripTabs ? lines[i]!.replace(/^\t+/, '') : lines[i]!;
        if (l === doc.word) break;
        body.push(l);
      }
      body.push(doc.word);
    }
    if (buf.trim() !== '') out.push({ line: start, text: [buf.trim(), ...body].join('\n') });
    buf = '';
  }
  if (buf.trim() !== '') out.push({ line: start, text: buf.trim() });
  return out;
}

function substitute(s: string, vars: Map<string, string>): string {
  return s.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?([-+])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (_m, a, op, word, b) => {
    const name = (a ?? b) as string;
    const v = vars.get(name);
    if (op === '-') return v !== undefined && v !== '' ? v : String(word ?? '');
    if (op === '+') return v !== undefined && v !== '' ? String(word ?? '') : '';
    return v ?? '';
  });
}

export function parseDockerfile(text: string, path: string): DockerfileInfo {
  const globalArgs = new Map<string, string>();
  const stages = new Set<string>();
  const froms: FromLine[] = [];
  const instructions: Instruction[] = [];
  for (const { line, text: l } of logicalLines(text)) {
    const m = /^(\w+)\s+(.*)$/s.exec(l);
    if (!m) continue;
    const op = m[1]!.toUpperCase();
    const rest = m[2]!;
    instructions.push({ line, op, text: rest });
    if (op === 'ARG' && froms.length === 0) {
      for (const decl of rest.split(/\s+/)) {
        const eq = decl.indexOf('=');
        const name = eq < 0 ? decl : decl.slice(0, eq);
        const value = eq < 0 ? '' : decl.slice(eq + 1).replace(/^["']|["']$/g, '');
        if (name) globalArgs.set(name, substitute(value, globalArgs));
      }
    } else if (op === 'FROM') {
      const words = rest.split(/\s+/).filter((w) => !w.startsWith('--'));
      const image = substitute(words[0] ?? '', globalArgs);
      const asIdx = words.findIndex((w) => w.toLowerCase() === 'as');
      const stageName = asIdx >= 0 ? words[asIdx + 1] : undefined;
      froms.push({
        line,
        image,
        ...(stageName ? { stageName } : {}),
        stage: stages.has(image.toLowerCase()),
        scratch: image.toLowerCase() === 'scratch',
      });
      if (stageName) stages.add(stageName.toLowerCase());
    }
  }
  return { path, froms, instructions };
}

export interface ImageReference {
  readonly name: string;
  readonly tag?: string;
  readonly digest?: string;
}

/** `registry:5000/ns/name:tag@sha256:…` → its parts (a port is not a tag). */
export function parseReference(ref: string): ImageReference {
  const at = ref.indexOf('@');
  const digest = at >= 0 ? ref.slice(at + 1) : undefined;
  const rest = at >= 0 ? ref.slice(0, at) : ref;
  const slash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  const tag = colon > slash ? rest.slice(colon + 1) : undefined;
  const name = colon > slash ? rest.slice(0, colon) : rest;
  return { name, ...(tag ? { tag } : {}), ...(digest ? { digest } : {}) };
}
