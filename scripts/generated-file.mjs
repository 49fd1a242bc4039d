// The one rule of every generated file (types, meltano.yml, README tables): written when it differs,
// or, with --check, reported as stale (the caller exits 1) so CI catches a generator not re-run.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

export const checking = process.argv.includes('--check');

/** Writes `text` to `file` when it differs; with --check, reports it instead. Returns true when stale. */
export function syncGenerated(file, text, regenerate) {
  const current = existsSync(file) ? readFileSync(file, 'utf8') : '';
  if (current === text) return false;
  if (checking) {
    console.error(`${file} is stale: run ${regenerate}`);
    return true;
  }
  writeFileSync(file, text);
  console.error(`wrote ${file}`);
  return false;
}
