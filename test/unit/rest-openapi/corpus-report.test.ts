// The corpus report's attribution of a stream's --test outcome (scripts/corpus/report.mjs).
import { describe, expect, it } from 'vitest';
// @ts-ignore: a plain JavaScript module of the corpus script
import { outcome, prismProblem } from '../../../scripts/corpus/report.mjs';

const at = (tail: string) => `error: tap-rest stream 'x': GET http://127.0.0.1:4010/x failed: ${tail}`;

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
