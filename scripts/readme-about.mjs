#!/usr/bin/env node
// Keeps the README's per-tap settings and streams tables equal to `<tap> --about --format markdown`:
// replaces what stands between `<!-- about:TAP -->` and `<!-- /about:TAP -->`. `--check` exits 1 when stale.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { syncGenerated } from './generated-file.mjs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const file = join(root, 'README.md');
const readme = readFileSync(file, 'utf8');
const updated = readme.replace(/(<!-- about:(tap-[a-z-]+) -->\n)[\s\S]*?(<!-- \/about:\2 -->)/g, (_, open, tap, close) => {
  const md = execFileSync(join(root, 'bin', tap), ['--about', '--format', 'markdown'], { encoding: 'utf8' });
  // Keep the settings and streams sections, one heading level down; the SDK capability settings,
  // the same for every tap, are described once (README section "Stream maps, flattening, BATCH").
  const body = md.slice(md.indexOf('## Settings'))
    .replace(/### Stream maps, flattening and BATCH[\s\S]*?(?=## Streams)/, 'Plus the SDK capability settings every tap has: see [stream maps, flattening, BATCH and structured logs](#stream-maps-flattening-batch-and-structured-logs).\n\n')
    .replace(/^## /gm, '#### ').trim();
  return `${open}${body}\n${close}`;
});
if (syncGenerated(file, updated, 'npm run gen:docs')) process.exit(1);
