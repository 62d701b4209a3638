/** One challenge of a `WWW-Authenticate` header (RFC 7235): `Bearer realm="…",service="…",scope="…"`. */
export interface Challenge {
  readonly scheme: string;
  readonly params: Readonly<Record<string, string>>;
}

/**
 * Parse every challenge of the header(s). Parameters are `key=token` or `key="quoted \" string"`; a new challenge
 * starts where a bare token is followed by a space instead of `=`.
 */
export function parseChallenges(header: string | string[] | undefined): Challenge[] {
  if (header === undefined) return [];
  const out: Challenge[] = [];
  for (const text of Array.isArray(header) ? header : [header]) {
    let i = 0;
    let current: { scheme: string; params: Record<string, string> } | undefined;
    const skip = (re: RegExp) => {
      while (i < text.length && re.test(text[i]!)) i++;
    };
    while (i < text.length) {
      skip(/[\s,]/);
      const start = i;
      skip(/[^\s,=]/);
      const token = text.slice(start, i);
      if (!token) break;
      skip(/[ \t]/);
      if (text[i] !== '=') {
        current = { scheme: token.toLowerCase(), params: {} };
        out.push(current);
        continue;
      }
      i++;
      skip(/[ \t]/);
      let value = '';
      if (text[i] === '"') {
        i++;
        while (i < text.length && text[i] !== '"') {
          if (text[i] === '\\' && i + 1 < text.length) i++;
          value += text[i++];
        }
        i++;
      } else {
        const v = i;
        skip(/[^\s,]/);
        value = text.slice(v, i);
      }
      if (current) current.params[token.toLowerCase()] = value;
    }
  }
  return out;
}
