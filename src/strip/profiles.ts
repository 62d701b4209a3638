import { findLibrary } from '../analysis/libraryPath.js';
import { baseName, joinPath } from '../model/paths.js';
import type { Closure } from './closure.js';

/**
 * What ldd does not show: files a program opens by name at run time (NSS modules and their databases, the CA store,
 * time zones, locales, resolver files, declared directories). Each profile is switched on by evidence in the image
 * and says which; `--no-NAME` turns one off.
 */
export type ProfileName = 'nss' | 'ca-certs' | 'tz' | 'locale' | 'hosts' | 'dirs';
export const PROFILES: readonly ProfileName[] = ['nss', 'ca-certs', 'tz', 'locale', 'hosts', 'dirs'];

export interface ProfileReport {
  readonly name: ProfileName;
  /** Why it applies (the evidence), or why not. */
  readonly evidence: string;
  readonly on: boolean;
  /** Turned off on the command line although the evidence was there. */
  readonly disabled: boolean;
  /** The paths it added to the closure. */
  readonly added: readonly string[];
  readonly notes: readonly string[];
}

/**
 * The first kept path (in the closure's order) whose base name passes `test`. `hint` is a test of the whole path that
 * every such path passes (the base name's pattern, unanchored): most paths fail it without a base name being cut.
 */
function firstKept(c: Closure, hint: RegExp, test: (name: string) => boolean): string | undefined {
  for (const p of c.kept.keys()) if (hint.test(p) && test(baseName(p))) return p;
  return undefined;
}

const libcIn = (c: Closure) => firstKept(c, /libc\.so\.\d|libc\.musl-|ld-musl-/, (n) => /^libc\.so\.\d+$/.test(n) || /^libc\.musl-.*\.so\.1$|^ld-musl-/.test(n));

/** The sources /etc/nsswitch.conf names, per database (`passwd: files systemd` → files, systemd). */
export function nsswitchSources(text: string): Set<string> {
  const sources = new Set<string>();
  for (const raw of text.split('\n')) {
    const m = /^\s*([a-z_]+)\s*:\s*(.*)$/.exec(raw.replace(/#.*/, ''));
    if (!m) continue;
    for (const word of m[2]!.replace(/\[[^\]]*\]/g, ' ').split(/\s+/)) if (/^[a-z0-9_]+$/.test(word)) sources.add(word);
  }
  return sources;
}

interface Profile {
  evidence(c: Closure): string | undefined;
  apply(c: Closure, why: { reason: string }, notes: string[]): void;
}

/** The config's User when it names a user or group (`app`, `1000:staff`), which the runtime resolves in the image. */
const namedUser = (c: Closure) => (c.config.user.split(':').some((part) => part !== '' && !/^\d+$/.test(part)) ? c.config.user : undefined);

const nss: Profile = {
  evidence: (c) => {
    const libc = libcIn(c);
    if (libc) return `${libc} is in the closure: user, group and host lookups go through NSS`;
    // a static program needs no NSS, but the runtime reads the image's /etc/passwd and /etc/group for a named User
    const user = namedUser(c);
    return user ? `the config's User ${user} is a name: the runtime looks it up in /etc/passwd and /etc/group` : undefined;
  },
  apply(c, why, notes) {
    for (const f of ['/etc/passwd', '/etc/group']) c.keepPath(f, why);
    const libcPath = libcIn(c);
    if (!libcPath) return;
    c.keepPath('/etc/nsswitch.conf', why);
    const libc = c.tree.resolve(libcPath);
    const facts = libc.ok ? libc.entry.probe?.elf : undefined;
    // glibc 2.34 moved the files and dns modules into libc itself
    const builtIn = facts?.versionDefines?.includes('GLIBC_2.34') ? ['files', 'dns'] : [];
    if (builtIn.length > 0) notes.push('glibc ≥ 2.34: files and dns are built into libc');
    const text = c.tree.text('/etc/nsswitch.conf');
    const sources = text !== undefined ? nsswitchSources(text) : new Set(['files', 'dns']);
    for (const src of [...sources].sort()) {
      if (builtIn.includes(src) || !facts) continue;
      const name = `libnss_${src}.so.2`;
      const lib = findLibrary({ tree: c.tree, config: c.config, exe: facts, confDirs: c.confDirs }, facts, libcPath, name);
      if (lib.ok) c.keepPath(lib.opened, { reason: `profile nss (source ${src} of /etc/nsswitch.conf)` });
      else notes.push(`${name} (source ${src}) is not in the image: glibc skips it as it would there`);
    }
  },
};

const TLS_LIBS = /^lib(ssl|gnutls|nss3|mbedtls|wolfssl|curl)[.-]/;
const TLS_HINT = /lib(ssl|gnutls|nss3|mbedtls|wolfssl|curl)[.-]/;

const caCerts: Profile = {
  evidence: (c) => {
    const lib = firstKept(c, TLS_HINT, (n) => TLS_LIBS.test(n));
    if (lib) return `${lib} (a TLS library) is in the closure`;
    // Go's crypto/tls is in the program itself, and reads the system's store (crypto/x509's root_linux.go)
    for (const k of c.kept.values()) if (k.entry?.kind === 'file' && k.entry.probe?.elf?.go) return `${k.path} (a Go program: its TLS verifies against the system's CA store) is in the closure`;
    return undefined;
  },
  apply(c, why) {
    // the stores, and OpenSSL's OPENSSLDIR (Debian's /usr/lib/ssl: cert.pem and certs/ are symlinks into /etc/ssl)
    for (const dir of ['/etc/ssl/certs', '/etc/pki/tls/certs', '/etc/pki/ca-trust/extracted', '/usr/lib/ssl', '/usr/local/ssl']) if (c.tree.resolve(dir).ok) c.keepTree(dir, why);
    for (const f of ['/etc/ssl/cert.pem', '/etc/ssl/openssl.cnf', '/etc/pki/tls/cert.pem']) if (c.tree.resolve(f).ok) c.keepPath(f, why);
  },
};

const tz: Profile = {
  evidence: (c) => {
    if (c.env('TZ') !== undefined) return `TZ=${c.env('TZ')} is set`;
    return c.tree.resolve('/etc/localtime', false).ok ? '/etc/localtime exists' : undefined;
  },
  apply(c, why) {
    for (const f of ['/etc/localtime', '/etc/timezone']) if (c.tree.resolve(f, false).ok) c.keepPath(f, why);
    const value = c.env('TZ');
    if (value && /^:?[A-Za-z][A-Za-z0-9_+\-/]*$/.test(value)) {
      const zone = value.replace(/^:/, '');
      c.keepPath(zone.startsWith('/') ? zone : joinPath('/usr/share/zoneinfo', zone), why);
    }
  },
};

const LOCALE_VARS = ['LC_ALL', 'LANG', 'LC_CTYPE', 'LC_MESSAGES', 'LC_COLLATE', 'LC_NUMERIC', 'LC_TIME', 'LC_MONETARY'];

const locale: Profile = {
  evidence: (c) => {
    const set = LOCALE_VARS.map((v) => [v, c.env(v)] as const).find(([, val]) => val !== undefined && val !== '' && val !== 'C' && val !== 'POSIX');
    return set ? `${set[0]}=${set[1]} is set` : undefined;
  },
  apply(c, why) {
    if (c.tree.resolve('/usr/lib/locale/locale-archive').ok) c.keepPath('/usr/lib/locale/locale-archive', why);
    for (const v of LOCALE_VARS) {
      const val = c.env(v);
      if (!val) continue;
      // glibc normalises the codeset: C.UTF-8 is found as /usr/lib/locale/C.utf8
      const [lang, codeset] = val.split('.');
      const names = [val, codeset ? `${lang}.${codeset.toLowerCase().replace(/-/g, '')}` : val];
      for (const n of names) if (c.tree.resolve(joinPath('/usr/lib/locale', n)).ok) c.keepTree(joinPath('/usr/lib/locale', n), why);
    }
    for (const e of c.entries()) {
      if (/^\/usr\/lib(\/[^/]+)?\/gconv\/gconv-modules(\.cache)?$/.test(e.path)) c.keepPath(e.path, why);
      if (/^\/usr\/lib(\/[^/]+)?\/gconv\/gconv-modules\.d$/.test(e.path)) c.keepTree(e.path, why);
    }
  },
};

const hosts: Profile = {
  evidence: (c) => {
    const libc = libcIn(c);
    return libc ? `${libc} is in the closure: the resolver reads /etc/hosts and /etc/resolv.conf` : undefined;
  },
  apply(c, why) {
    // the runtime mounts its own over both; an empty placeholder keeps the mount point
    for (const f of ['/etc/hosts', '/etc/resolv.conf']) c.make(f, why, { kind: 'file', mode: 0o644 });
  },
};

const dirs: Profile = {
  evidence: () => 'the config declares WorkingDir or Volumes, and programs expect /tmp',
  apply(c, why) {
    if (c.config.workingDir) c.make(c.config.workingDir, { reason: 'WorkingDir' }, { kind: 'dir', mode: 0o755 });
    for (const v of c.config.volumes) c.make(v, { reason: 'a Volume of the config' }, { kind: 'dir', mode: 0o755 });
    c.make('/tmp', why, { kind: 'dir', mode: 0o1777 });
  },
};

const TABLE: Record<ProfileName, Profile> = { nss, 'ca-certs': caCerts, tz, locale, hosts, dirs };

/**
 * The paths kept since the closure held `from` of them: the closure only adds, and a Map iterates in insertion order
 * (a Set of the whole closure before each profile cost a fifth of planning an image of 40,000 kept paths).
 */
function keptSince(c: Closure, from: number): string[] {
  const out: string[] = [];
  if (c.kept.size === from) return out;
  let i = 0;
  for (const p of c.kept.keys()) if (i++ >= from) out.push(p);
  return out;
}

/** Apply every profile the evidence calls for and `enabled` allows, in the table's order (nss before hosts). */
export function applyProfiles(c: Closure, enabled: ReadonlySet<ProfileName>): ProfileReport[] {
  const out: ProfileReport[] = [];
  for (const name of PROFILES) {
    const evidence = TABLE[name].evidence(c);
    const on = evidence !== undefined && enabled.has(name);
    const before = c.kept.size;
    const notes: string[] = [];
    if (on) TABLE[name].apply(c, { reason: `profile ${name}` }, notes);
    const added = keptSince(c, before);
    if (on && added.length === 0) notes.push('none of its files is in the image (or the closure had them already)');
    out.push({ name, evidence: evidence ?? 'no evidence in the image', on, disabled: evidence !== undefined && !enabled.has(name), added, notes });
  }
  return out;
}
