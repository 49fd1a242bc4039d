#!/usr/bin/env node
// Bundles each tap into one self-contained folder, dist/bundle/<tap>/: an entry file,
// tap-<tap>.mjs, plus the chunks it imports on demand (esbuild code splitting). The entry holds the
// command line, the tap's declaration and --about/--discover; the HTTP stack, the validator, the sync
// engine, stream maps (and faker), YAML and BATCH are chunks loaded only by a command that needs them.
// No node_modules is needed at run time: bin/* and the Python wheels (scripts/wheels.py) run these files.
// Start-up loads no more than it must: the settings validators of a tap with a fixed settings schema
// are compiled here (scripts/settings-validators.mjs), so --discover runs without ajv; yargs' own sanity
// checks run without Node's assert module, and yargs reads no directory (see YARGS_SHIM).
//
// The bundle sits three folders below the package root, as dist/taps/<tap>/ does, so the taps'
// `new URL('../../../catalogs/...', import.meta.url)` still finds their catalogs; the two version
// modules read package.json at run time and are replaced by constants here.
import { build } from 'esbuild';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { EMPTY, settingsValidatorsModule } from './settings-validators.mjs';

const root = new URL('..', import.meta.url).pathname;
export const TAPS = ['betterstack', 'harness', 'playground', 'rest'];
const out = join(root, 'dist/bundle');
const pkg = (file) => JSON.parse(readFileSync(join(root, file), 'utf8'));

/** Every file below `dir` ending in `.ts`. */
const tsFiles = (dir) => readdirSync(dir, { recursive: true }).map(String).filter((f) => f.endsWith('.ts')).map((f) => join(dir, f));
const names = (list) => list.split(',').map((n) => n.trim()).filter((n) => n && !n.startsWith('type ')).map((n) => n.split(/\s+as\s+/)[0]);

/**
 * The kit's barrel (index.ts) cut down to the modules whose exports the taps import: with code
 * splitting, esbuild keeps a module re-exported by the barrel in the entry even when nothing uses it,
 * so the barrel would drag the HTTP stack and the validator into every start-up.
 */
function prunedBarrel(file, tap) {
  const used = new Set();
  for (const f of tsFiles(join(root, 'src/taps')).filter((f) => !relative(join(root, 'src/taps'), f).includes('/') || f.startsWith(join(root, 'src/taps', tap, '/')))) {
    for (const m of readFileSync(f, 'utf8').matchAll(/import\s*\{([^}]*)\}\s*from\s*'@singer-io-compatible\/tap-kit'/g)) for (const n of names(m[1])) used.add(n);
  }
  return readFileSync(file, 'utf8').replace(/export\s*\{([^}]*)\}\s*from\s*'[^']*';?/g, (line, list) => (names(list).some((n) => used.has(n)) ? line : ''));
}

/**
 * The kit by its sources (as the tests see it), version modules as constants, and the table of
 * settings validators compiled at build time (`validators`: the module's text; none: the empty table).
 */
const sources = (tap, validators = EMPTY) => ({
  name: 'singer-taps-ts-sources',
  setup(b) {
    b.onResolve({ filter: /^@singer-io-compatible\/tap-kit$/ }, () => ({ path: join(root, 'src/kit/index.ts'), sideEffects: false }));
    // The kit's modules do nothing when imported but declare: one the command at hand does not use
    // (the HTTP stack for --about) stays out of the entry, in a chunk loaded by the import() that needs it.
    b.onResolve({ filter: /^\.\.?\// }, async (args) => {
      if (args.pluginData?.kitFile || !relative(root, args.importer).startsWith('src/kit')) return undefined;
      const resolved = await b.resolve(args.path, { kind: args.kind, importer: args.importer, resolveDir: args.resolveDir, pluginData: { kitFile: true } });
      return resolved.errors.length ? undefined : { ...resolved, sideEffects: false };
    });
    b.onLoad({ filter: /[/\\]src[/\\]kit[/\\]index\.ts$/ }, (args) => ({ contents: prunedBarrel(args.path, tap), loader: 'ts', resolveDir: dirname(args.path) }));
    b.onLoad({ filter: /[/\\]version\.ts$/ }, (args) => {
      const file = relative(root, args.path);
      if (file.startsWith('src/kit')) return { contents: `export const KIT_VERSION = ${JSON.stringify(pkg('src/kit/package.json').version)};`, loader: 'ts' };
      if (file === 'src/taps/version.ts') return { contents: `export const VERSION = ${JSON.stringify(pkg('package.json').version)};`, loader: 'ts' };
      return undefined;
    });
    b.onResolve({ filter: /^(node:)?assert$/ }, (args) => (YARGS_SHIM.test(args.importer) ? { path: 'assert', namespace: 'yargs-checks' } : undefined));
    b.onLoad({ filter: /.*/, namespace: 'yargs-checks' }, () => ({ contents: YARGS_CHECKS, loader: 'js' }));
    b.onResolve({ filter: /^escalade\/sync$/ }, (args) => (YARGS_SHIM.test(args.importer) ? { path: 'escalade/sync', namespace: 'no-find-up' } : undefined));
    b.onLoad({ filter: /.*/, namespace: 'no-find-up' }, () => ({ contents: 'export default () => undefined;\n', loader: 'js' }));
    b.onLoad({ filter: /[/\\]src[/\\]kit[/\\]config[/\\]settings-compiled\.ts$/ }, () => ({ contents: validators, loader: 'js', resolveDir: root }));
    b.onLoad({ filter: /[/\\]src[/\\]kit[/\\]core[/\\]jsonpath-engine\.ts$/ }, () => ({ contents: LAZY_JSONPATH, loader: 'js', resolveDir: root }));
  },
});

// CommonJS dependencies (ajv, yargs) call require() for Node's own modules.
const BANNER = "import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);";

/**
 * yargs' platform shim (Node, ESM). At every start yargs guesses a version (one this CLI never prints:
 * `.version(false)`) by looking for a package.json from the working directory up (or from the folder
 * holding node_modules: /usr/lib/ for a global install), reading each folder's listing on the way, then
 * asserts that it found one. The shim's `findUp` finds nothing here, so a tap never lists the user's
 * folders; and its two sanity checks throw a plain error, without loading Node's assert module (with
 * its error-diffing and colour modules) to build an AssertionError that yargs catches and drops.
 */
const YARGS_SHIM = /[/\\]yargs[/\\]lib[/\\]platform-shims[/\\]esm\.mjs$/;
const YARGS_CHECKS = `const fail = (message) => { throw new Error(message ?? 'yargs: an internal check failed'); };
export function strictEqual(a, b, message) { if (!Object.is(a, b)) fail(message); }
export function notStrictEqual(a, b, message) { if (Object.is(a, b)) fail(message); }
`;

/** jsonpath-plus for src/kit/core/jsonpath-engine.ts: bundled, and run when a query path first needs it. */
const LAZY_JSONPATH = "export const loadJsonPath = () => require('jsonpath-plus').JSONPath;\n";

/**
 * The table of a tap's settings validators compiled now (scripts/settings-validators.mjs), from the
 * settings schema of its declaration (src/taps/<tap>/tap.ts, bundled and imported here); the empty
 * table for a tap whose settings schema is known only at run time (tap-rest: it depends on the definition).
 */
async function settingsValidators(tap, dir) {
  const file = join(dir, 'settings-schema.mjs');
  mkdirSync(dir, { recursive: true });
  try {
    await build({ entryPoints: [join(root, `src/taps/${tap}/tap.ts`)], outfile: file, bundle: true, format: 'esm', platform: 'node', target: 'node20', logLevel: 'warning', packages: 'external', banner: { js: BANNER }, plugins: [sources(tap)] });
    const schema = (await import(`${file}?${Date.now()}`)).default?.settingsSchema;
    return schema ? settingsValidatorsModule(schema) : EMPTY;
  } finally {
    rmSync(file, { force: true });
  }
}

export async function bundle({ quiet = false } = {}) {
  rmSync(out, { recursive: true, force: true });
  const sizes = [];
  for (const tap of TAPS) {
    const dir = join(out, tap);
    const validators = await settingsValidators(tap, dir);
    const result = await build({
      entryPoints: { [`tap-${tap}`]: join(root, `src/taps/${tap}/main.ts`) },
      outdir: dir,
      outExtension: { '.js': '.mjs' },
      chunkNames: 'chunk-[hash]',
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      minify: true,
      // Class names are data: error lines name the exception's type (UserError, HttpError).
      keepNames: true,
      legalComments: 'linked',
      metafile: true,
      logLevel: 'warning',
      banner: { js: BANNER },
      plugins: [sources(tap, validators)],
    });
    writeFileSync(join(dir, 'meta.json'), JSON.stringify(result.metafile));
    const entry = Object.entries(result.metafile.outputs).find(([, o]) => o.entryPoint === `src/taps/${tap}/main.ts`);
    sizes.push(`${tap}: entry ${Math.round((entry?.[1].bytes ?? 0) / 1024)} kB, ${Object.keys(result.metafile.outputs).filter((f) => f.endsWith('.mjs')).length} files`);
  }
  if (!quiet) console.log(`bundled into dist/bundle/: ${sizes.join('; ')}`);
}

if (import.meta.url === `file://${process.argv[1]}`) await bundle({ quiet: process.argv.includes('--quiet') });
