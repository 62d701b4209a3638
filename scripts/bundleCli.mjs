// Bundles the CLI (dist/src/cli/main.js, as tsc emitted it) into dist/cli/: fathom.js, the entry `bin` points to,
// and chunks/ that load when a command needs them (the analysis for `fathom IMAGE`, the diff, the browser with Ink and
// React). Why: Node 20's ESM loader resolves, reads and compiles each of the ~400 modules of a review separately, which
// cost more than reading a small image; one file per need takes a fraction of that (measured A/B in the commit).
// `--version` loads nothing but the entry.
//
// string-width, which yargs' help layout (cliui, wrap-ansi) and Ink measure every cell with, builds an Intl.Segmenter
// and Unicode-property regexes when it loads and segments every string: more than the rest of `--help` together.
// Each import of it is given a wrapper that answers printable ASCII (0x20-0x7E: width = length, what string-width
// itself returns for it, test/cli/startup.test.ts) and loads the real one, lazily, for anything else.
//
// `fathom --help` is then rendered once, by the bundle itself through yargs (stdout a pipe: yargs' 80 columns; no
// locale: English), into dist/cli/help.txt, which src/cli/staticHelp.ts prints when yargs would lay out the same:
// yargs' load and layout cost more than the rest of `--help`'s start-up (measured A/B in the commit).
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { chmod, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const asciiWidth = {
  name: 'ascii-string-width',
  setup(b) {
    b.onResolve({ filter: /^string-width$/ }, async (args) => {
      if (args.pluginData === 'real') return undefined;
      const real = await b.resolve('string-width', { resolveDir: args.resolveDir, kind: args.kind, pluginData: 'real' });
      if (real.errors.length > 0) return { errors: real.errors };
      return { path: real.path, namespace: 'ascii-string-width' };
    });
    // require() makes esbuild wrap the real module in a lazy initialiser: it loads on the first non-ASCII string
    b.onLoad({ filter: /.*/, namespace: 'ascii-string-width' }, (args) => ({
      loader: 'js',
      resolveDir: root,
      contents: `const printable = /^[\\x20-\\x7e]*$/;
let real;
export default function stringWidth(s, options) {
  if (typeof s === 'string' && printable.test(s)) return s.length;
  real ??= require(${JSON.stringify(args.path)}).default;
  return real(s, options);
}`,
    }));
  },
};

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist', 'cli');
await rm(out, { recursive: true, force: true });
await build({
  entryPoints: { fathom: join(root, 'dist', 'src', 'cli', 'main.js') },
  outdir: out,
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // typescript: cosmiconfig's loader for a fathom.config.ts, resolved at run time as before (it is not shipped);
  // react-devtools-core: Ink's DEV=true hook, not installed
  external: ['typescript', 'react-devtools-core'],
  // the CommonJS dependencies (cosmiconfig, yaml …) call require() for node's modules
  banner: { js: "import { createRequire as __fathomRequire } from 'node:module'; const require = __fathomRequire(import.meta.url);" },
  plugins: [asciiWidth],
  legalComments: 'inline',
  logLevel: 'warning',
});
await chmod(join(out, 'fathom.js'), 0o755);

const LOCALE = ['LC_ALL', 'LC_MESSAGES', 'LANG', 'LANGUAGE', 'YARGS_DISABLE_WRAP'];
const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !LOCALE.includes(k)));
// help.txt does not exist yet: this run is yargs' own
const help = execFileSync(process.execPath, [join(out, 'fathom.js'), '--help'], { env, stdio: ['ignore', 'pipe', 'inherit'] });
await writeFile(join(out, 'help.txt'), help);
