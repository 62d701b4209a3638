import type { SourceLine } from './check.js';

type YamlModule = typeof import('yaml');

/** A node of the document as far as its position goes (yaml's Node, Pair and collections alike). */
interface Positioned {
  readonly range?: readonly number[] | null;
}

/**
 * The line of each `ignore:` entry in the configuration's text, from the YAML parser's source ranges (JSON is
 * YAML, so .dive-ci.json and package.json's "dive-ci" key read the same way). `keyPath` leads to the mapping that
 * holds `ignore` (`["dive-ci"]` in package.json); keys match case-insensitively, as the gate reads them. An entry
 * whose position cannot be found (an alias, a document that no longer parses) has none.
 */
export function ignoreLines(yaml: YamlModule, text: string, file: string, keyPath: readonly string[]): Array<SourceLine | undefined> {
  const lineCounter = new yaml.LineCounter();
  const doc = yaml.parseDocument(text, { lineCounter });
  if (doc.errors.length > 0) return [];
  let node: unknown = doc.contents;
  for (const key of [...keyPath, 'ignore']) node = valueOf(yaml, node, key);
  if (!yaml.isSeq(node)) return [];
  return node.items.map((item) => {
    const start = (item as Positioned | null)?.range?.[0];
    return start === undefined ? undefined : { file, line: lineCounter.linePos(start).line };
  });
}

function valueOf(yaml: YamlModule, node: unknown, key: string): unknown {
  if (!yaml.isMap(node)) return undefined;
  const pair = node.items.find((p) => yaml.isScalar(p.key) && String(p.key.value).toLowerCase() === key.toLowerCase());
  return pair?.value;
}
