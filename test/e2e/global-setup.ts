/**
 * Vitest globalSetup of the e2e project: the tests spawn bin/*, which import dist/, so make sure
 * dist/ is built from the current src/. Builds (tsc -p tsconfig.json) only when some src/**.ts
 * is newer than its dist/**.js (or that file is missing). A failing build is fatal only when the
 * binaries' entry points do not exist at all; otherwise the tests run against what tsc emitted.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const ENTRY_POINTS = ['dist/taps/playground/main.js', 'dist/playground/main.js'];

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sources(full));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) out.push(full);
  }
  return out;
}

function stale(): string | undefined {
  const src = path.join(ROOT, 'src');
  for (const file of sources(src)) {
    const js = path.join(ROOT, 'dist', path.relative(src, file)).replace(/\.ts$/, '.js');
    if (!existsSync(js)) return `${path.relative(ROOT, js)} is missing`;
    if (statSync(file).mtimeMs > statSync(js).mtimeMs) return `${path.relative(ROOT, file)} is newer than its build`;
  }
  return undefined;
}

export default function setup(): void {
  const why = stale();
  if (!why) return;
  console.log(`[e2e] building dist/ (${why})`);
  const tsc = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  const result = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: ROOT, encoding: 'utf8' });
  if (result.status === 0) return;
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim();
  const missing = ENTRY_POINTS.filter((f) => !existsSync(path.join(ROOT, f)));
  if (missing.length > 0) throw new Error(`[e2e] tsc failed and ${missing.join(', ')} do not exist:\n${output}`);
  console.warn(`[e2e] tsc reported errors; running against what it emitted:\n${output.slice(0, 4000)}`);
}
