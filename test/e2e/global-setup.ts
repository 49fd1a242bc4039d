/**
 * Vitest globalSetup of the e2e project: the tests spawn bin/*, which run the bundles in dist/bundle/
 * (the playground: dist/), so make sure both are built from the current sources. Builds (tsc for
 * the kit, then for the taps) only when some .ts is newer than its .js (or that file is missing). A failing build is fatal only when the
 * binaries' entry points do not exist at all; otherwise the tests run against what tsc emitted.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const ENTRY_POINTS = ['dist/taps/playground/main.js', 'dist/playground/main.js'];

/** The two compilations: the kit package, then everything else under src/. */
const PROJECTS = [
  { tsconfig: 'src/kit/tsconfig.json', src: 'src/kit', out: 'src/kit/dist', skip: ['dist', 'node_modules', 'template'] },
  { tsconfig: 'tsconfig.json', src: 'src', out: 'dist', skip: ['kit'] },
];

function sources(dir: string, skip: string[]): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!skip.includes(entry.name)) out.push(...sources(full, skip));
    }
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) out.push(full);
  }
  return out;
}

function stale(): string | undefined {
  for (const project of PROJECTS) {
    const src = path.join(ROOT, project.src);
    for (const file of sources(src, project.skip)) {
      const js = path.join(ROOT, project.out, path.relative(src, file)).replace(/\.ts$/, '.js');
      if (!existsSync(js)) return `${path.relative(ROOT, js)} is missing`;
      if (statSync(file).mtimeMs > statSync(js).mtimeMs) return `${path.relative(ROOT, file)} is newer than its build`;
    }
  }
  return undefined;
}

/** The taps' bundles (bin/tap-* run them): esbuild takes about a second, so they are always rebuilt. */
function bundle(): void {
  const result = spawnSync(process.execPath, [path.join(ROOT, 'scripts/bundle.mjs'), '--quiet'], { cwd: ROOT, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`[e2e] bundling failed:\n${result.stdout}${result.stderr}`);
}

export default function setup(): void {
  bundle();
  const why = stale();
  if (!why) return;
  console.log(`[e2e] building dist/ (${why})`);
  const tsc = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  let output = '';
  for (const project of PROJECTS) {
    const result = spawnSync(process.execPath, [tsc, '-p', project.tsconfig], { cwd: ROOT, encoding: 'utf8' });
    output += `${result.stdout ?? ''}${result.stderr ?? ''}`;
  }
  output = output.trim();
  if (!output) return;
  const missing = ENTRY_POINTS.filter((f) => !existsSync(path.join(ROOT, f)));
  if (missing.length > 0) throw new Error(`[e2e] tsc failed and ${missing.join(', ')} do not exist:\n${output}`);
  console.warn(`[e2e] tsc reported errors; running against what it emitted:\n${output.slice(0, 4000)}`);
}
