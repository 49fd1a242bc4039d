// The corpus report (scripts/corpus/report.mjs, table.mjs): who failed a stream's --test, and the figures results.md and the README quote.
import { describe, expect, it } from 'vitest';
// @ts-ignore: a plain JavaScript module of the corpus script
import { outcome, prismProblem, resultsMarkdown } from '../../../scripts/corpus/report.mjs';
// @ts-ignore: a plain JavaScript module of the corpus script
import { corpusTable } from '../../../scripts/corpus/table.mjs';

/** A stream's --test outcome when the sync failed on it. */
function at(tail: string): string {
  return `error: tap-rest stream 'x': GET http://127.0.0.1:4010/x failed: ${tail}`;
}

/** One document's figures as the corpus script measures them, with its streams' --test outcomes. */
const doc = (name: string, streams: number, test: Record<string, string>) => ({ doc: name, ours: { handled: true, resources: streams, streams, mock: true, test, withRecord: Object.values(test).filter((v) => v === 'record').length }, dlt: { ok: false } });
const results = [
  doc('a.json', 40, { s1: 'record', s2: 'record', s3: at('HTTP 404 - The route /s3 hasn\'t been found in the specification file'), s4: at('HTTP 400') }),
  doc('b.json', 2, { s1: 'record', s2: 'no record (the mock answered an empty list)' }),
  doc('c.json', 50, { s1: 'record', s2: 'record' }),
];

describe('corpus report: who failed a stream', () => {
  it('an HTTP 500 is the mock\'s only when its body is prism\'s own problem', () => {
    expect(outcome(at('HTTP 500 - {"type":"https://stoplight.io/prism/errors#UNKNOWN","title":"Tried to force a dynamic response for: text/plain but schema is not defined.","status":500,"detail":""}'))).toBe('mock');
    expect(outcome(at('HTTP 500 - Cannot serialise complex objects as text'))).toBe('mock');
    expect(outcome(at('HTTP 500 - Internal Server Error'))).toBe('failed');
    expect(outcome(at('HTTP 500'))).toBe('failed');
  });
  it('prism\'s problems about the request are not the mock failing; its detail alone still names them', () => {
    expect(prismProblem(at('HTTP 404 - The route /getSite hasn\'t been found in the specification file'))).toBe('NO_PATH_MATCHED_ERROR');
    expect(outcome(at('HTTP 404 - The route /getSite hasn\'t been found in the specification file'))).toBe('failed');
    expect(outcome(at('HTTP 406 - Unable to find content for application/json'))).toBe('mock');
    expect(prismProblem(at('HTTP 400'))).toBeUndefined();
  });
  it('records, empty answers and a mock that did not start', () => {
    expect(outcome('record')).toBe('record');
    expect(outcome('no record (the mock answered an empty list)')).toBe('empty');
    expect(outcome('mock: prism did not start')).toBe('mock');
    expect(outcome('invalid record: data/id must be string')).toBe('failed');
  });
});

describe('corpus report: results.md', () => {
  const md = resultsMarkdown(results, '2026-01-01', { mockDocs: 3, mockStreams: 4 });
  it('counts records of the streams tested, not of all streams written', () => {
    expect(md).toContain('| 5 of 8 tested (1 of 3 mocked documents: every tested stream) |');
  });
  it('says the causes, counted from the results', () => {
    expect(md).toMatch(/streams that failed otherwise [^|]*\| 2 \(HTTP 400, one of the document's responses \(not prism's own problem\): 1; prism's NO_PATH_MATCHED_ERROR, no path of the document matched the request: 1\) \|/);
    expect(md).toMatch(/streams the mock could not serve [^|]*\| 0 \|/);
  });
});

describe('corpus report: the README table', () => {
  it('quotes the run\'s own parameters and the causes counted from its results', () => {
    const table = corpusTable({ date: '2026-01-01', minutes: 1, mockDocs: 5, mockStreams: 4, results });
    expect(table).toContain('(5 documents of a seeded choice: 3 with a definition synced; up to 4 streams each of those a sync runs');
    expect(table).toContain('), one after another, by `npm run corpus`,');
    expect(table).toContain("| 5 of 8; the mock itself failed on 0, answered no record on 1; 2 failed otherwise (HTTP 400, one of the document's responses (not prism's own problem): 1; prism's NO_PATH_MATCHED_ERROR, no path of the document matched the request: 1; each stream in results.md) |");
    const merged = corpusTable({ date: '2026-01-01', minutes: 1, parallel: 2, mockDocs: 3, mockStreams: null, results });
    expect(merged).toContain('(every document: 3 with a definition synced; every stream of those a sync runs');
    expect(merged).toContain('in 2 runs side by side over parts of the sample (`--sample`, `--out`, then `--merge`), one document after another in each,');
  });
});
