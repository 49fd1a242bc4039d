#!/usr/bin/env node
// Keeps the README's table of tap-rest against dlt equal to what the differential test measured
// (test/interop/dlt-diff/results.json, written by `DLT_DIFF_WRITE=1 npm run test:interop -- test/interop/dlt-diff.test.ts`):
// replaces what stands between `<!-- dlt-diff -->` and `<!-- /dlt-diff -->`. `--check` exits 1 when stale.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { syncGenerated } from './generated-file.mjs';

const root = new URL('..', import.meta.url).pathname;
const file = join(root, 'README.md');
const results = JSON.parse(readFileSync(join(root, 'test/interop/dlt-diff/results.json'), 'utf8'));

const cell = (text) => String(text).replace(/\|/g, '\\|').replace(/\n/g, ' ');
/** An error's first sentence (dlt's messages go on with the whole response body), and what was extracted before it. */
const brief = (summary) => summary.replace(/^error: Loop: stopped after /, 'loops: cut after ').replace(/^(error: .*?[^.\s])\s*\.(?!\.)(?:\s|(?=[A-Z])).*?( \([^()]*\))?$/, '$1$2');
const outcome = (o, awaits) => (o.right ? 'right' : `**wrong**: ${cell(brief(o.summary))}${awaits ? ` (awaits the kit's ${awaits})` : ''}`);
const count = (pick) => results.cases.filter((c) => pick(c)).length;
const n = results.cases.length;

const lines = [
  `Measured ${results.measured} with dlt ${results.dlt_version}, ${n} cases: dlt right on ${count((c) => c.dlt.right)}, tap-rest on ${count((c) => c.tap_rest.right)}; ` +
    `tap-rest right where dlt is wrong on ${count((c) => c.tap_rest.right && !c.dlt.right)}, dlt right where tap-rest is wrong on ${count((c) => c.dlt.right && !c.tap_rest.right)} ` +
    `(each awaiting a kit change, listed below the table), both wrong on ${count((c) => !c.dlt.right && !c.tap_rest.right)}.`,
  '',
  `| Group | Case | Truth (the mock's records) | dlt ${results.dlt_version} | tap-rest |`,
  '|---|---|---|---|---|',
  ...results.cases.map((c) => `| ${c.group} | ${cell(c.what)} | ${cell(c.truth)} | ${outcome(c.dlt)} | ${outcome(c.tap_rest, c.awaits)} |`),
];
const table = `${lines.join('\n')}\n`;

const readme = readFileSync(file, 'utf8');
const marker = /(<!-- dlt-diff -->\n)[\s\S]*?(<!-- \/dlt-diff -->)/;
if (!marker.test(readme)) {
  console.error(`${file}: no <!-- dlt-diff --> ... <!-- /dlt-diff --> section`);
  process.exit(1);
}
const updated = readme.replace(marker, (_, open, close) => `${open}${table}${close}`);
if (syncGenerated(file, updated, 'npm run gen:docs')) process.exit(1);
