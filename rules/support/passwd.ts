/** /etc/passwd and /etc/group lines, as the runtime reads them to resolve USER. */
export interface PasswdEntry {
  readonly name: string;
  readonly uid: number;
  readonly gid: number;
}

export function parsePasswd(text: string | undefined): PasswdEntry[] {
  if (!text) return [];
  return text
    .split('\n')
    .filter((l) => l.trim() !== '' && !l.startsWith('#'))
    .map((l) => l.split(':'))
    .filter((f) => f.length >= 4)
    .map((f) => ({ name: f[0]!, uid: Number(f[2]), gid: Number(f[3]) }));
}

/** `user[:group]` from the config's User field. */
export function splitUser(user: string): { user: string; group?: string } {
  const i = user.indexOf(':');
  return i < 0 ? { user } : { user: user.slice(0, i), group: user.slice(i + 1) };
}

export const isNumeric = (s: string) => /^\d+$/.test(s);
