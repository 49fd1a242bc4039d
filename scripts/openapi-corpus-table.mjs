#!/usr/bin/env node
// Keeps the README's table of the OpenAPI corpus equal to what `npm run corpus` measured
// (test/openapi-corpus/results.json): replaces what stands between `<!-- openapi-corpus -->` and
// `<!-- /openapi-corpus -->`. `--check` exits 1 when stale.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { syncGenerated } from './generated-file.mjs';
import { corpusTable } from './corpus/table.mjs';

const root = new URL('..', import.meta.url).pathname;
const file = join(root, 'README.md');
const measured = JSON.parse(readFileSync(join(root, 'test/openapi-corpus/results.json'), 'utf8'));
const table = corpusTable(measured);

const readme = readFileSync(file, 'utf8');
const marker = /(<!-- openapi-corpus -->\n)[\s\S]*?(<!-- \/openapi-corpus -->)/;
if (!marker.test(readme)) {
  console.error(`${file}: no <!-- openapi-corpus --> ... <!-- /openapi-corpus --> section`);
  process.exit(1);
}
if (syncGenerated(file, readme.replace(marker, (_, open, close) => `${open}${table}${close}`), 'npm run gen:docs')) process.exit(1);
