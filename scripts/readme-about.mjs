#!/usr/bin/env node
// Keeps the README's per-tap settings and streams tables equal to `<tap> --about --format markdown`:
// replaces what stands between `<!-- about:TAP -->` and `<!-- /about:TAP -->`. `--check` exits 1 when stale.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const file = join(root, 'README.md');
const readme = readFileSync(file, 'utf8');
const updated = readme.replace(/(<!-- about:(tap-[a-z-]+) -->\n)[\s\S]*?(<!-- \/about:\2 -->)/g, (_, open, tap, close) => {
  const md = execFileSync(join(root, 'bin', tap), ['--about', '--format', 'markdown'], { encoding: 'utf8' });
  // Keep the settings and streams sections, one heading level down.
  const body = md.slice(md.indexOf('## Settings')).replace(/^## /gm, '#### ').trim();
  return `${open}${body}\n${close}`;
});
if (process.argv.includes('--check')) {
  if (updated !== readme) {
    console.error('README.md settings/streams tables are stale: run node scripts/readme-about.mjs');
    process.exit(1);
  }
} else if (updated !== readme) {
  writeFileSync(file, updated);
  console.error('updated README.md');
}
