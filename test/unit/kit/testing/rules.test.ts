/**
 * The conformance suite's rules on Singer output built by hand: partition bookmarks, the
 * signpost allowance, the key-update exception, STATE last, and the settings a bad config breaks.
 */
import { describe, expect, it } from 'vitest';
import { checkBookmarks } from '../../../../src/kit/testing/bookmark-checks.js';
import type { Catalog } from '../../../../src/kit/testing/catalog.js';
import { wrongTypedSetting } from '../../../../src/kit/testing/checks-bad-config.js';
import { secretValues } from '../../../../src/kit/testing/checks-secrets.js';
import { checkKeys } from '../../../../src/kit/testing/key-checks.js';
import { checkMessages } from '../../../../src/kit/testing/message-checks.js';
import { parseSingerOutput } from '../../../../src/kit/testing/singer-output.js';
import { stackTraceLines, failureLines } from '../../../../src/kit/testing/stderr.js';

const schema = { type: 'object', properties: { company_id: { type: 'integer' }, id: { type: 'integer' }, at: { type: 'string', format: 'date-time' } } };
const catalog = (stream: string, replicationKey?: string): Catalog => ({
  streams: [{
    tap_stream_id: stream, stream, schema,
    metadata: [{ breadcrumb: [], metadata: { selected: true, 'table-key-properties': ['company_id', 'id'], ...(replicationKey ? { 'replication-key': replicationKey } : {}) } }],
  }],
});
const lines = (...messages: unknown[]) => parseSingerOutput(messages.map((m) => JSON.stringify(m)).join('\n') + '\n');
const SCHEMA = { type: 'SCHEMA', stream: 'dept', schema, key_properties: ['company_id', 'id'] };
const rec = (company: number, id: number, at: string) => ({ type: 'RECORD', stream: 'dept', record: { company_id: company, id, at } });
const partitions = (...values: Array<[number, string]>) => ({
  type: 'STATE', value: { bookmarks: { dept: { partitions: values.map(([company, at]) => ({ context: { company_id: company }, replication_key: 'at', replication_key_value: at })) } } },
});
const problems = (output: ReturnType<typeof lines>, inputState?: Record<string, unknown>, startedAt = Date.parse('2030-01-01T00:00:00Z')) =>
  checkBookmarks(output, { catalog: catalog('dept', 'at'), startedAt, ...(inputState ? { inputState } : {}) }).findings.failures;

describe('bookmark rules, per partition', () => {
  it('holds each partition to its own records: company 2 older than company 1 is fine', () => {
    const output = lines(SCHEMA, rec(1, 1, '2025-01-05T00:00:00Z'), partitions([1, '2025-01-05T00:00:00Z']), rec(2, 1, '2025-01-01T00:00:00Z'),
      partitions([1, '2025-01-05T00:00:00Z'], [2, '2025-01-01T00:00:00Z']));
    expect(problems(output)).toEqual([]);
  });

  it('catches a partition bookmark beyond its own records, though another partition has later ones', () => {
    const output = lines(SCHEMA, rec(1, 1, '2025-01-05T00:00:00Z'), rec(2, 1, '2025-01-01T00:00:00Z'),
      partitions([1, '2025-01-05T00:00:00Z'], [2, '2025-01-03T00:00:00Z']));
    expect(problems(output)).toEqual(['line 4: bookmarks.dept.partitions[1] = "2025-01-03T00:00:00Z" is beyond the largest at written so far']);
  });

  it('catches records of a partition that no final bookmark covers', () => {
    const output = lines(SCHEMA, rec(1, 1, '2025-01-05T00:00:00Z'), rec(3, 1, '2025-01-02T00:00:00Z'), partitions([1, '2025-01-05T00:00:00Z']));
    expect(problems(output)[0]).toMatch(/stream 'dept': 1 records belong to no partition bookmarked in the final STATE/);
  });

  it('compares instants, not strings: 12:00+02:00 is the 10:00Z written, not beyond it', () => {
    const output = lines(SCHEMA, rec(1, 1, '2025-01-05T10:00:00Z'), partitions([1, '2025-01-05T12:00:00+02:00']));
    expect(problems(output)).toEqual([]);
    const earlier = lines(SCHEMA, rec(1, 1, '2025-01-05T10:00:00Z'), partitions([1, '2025-01-05T11:00:00+02:00']));
    expect(problems(earlier)).toEqual(['final STATE: bookmarks.dept.partitions[0] = "2025-01-05T11:00:00+02:00" is below the largest at written (2025-01-05T10:00:00.000Z): the next run reads again what this one wrote']);
  });

  it('lets a date-time bookmark stop at the sync start (signpost) when records are later', () => {
    const output = lines(SCHEMA, rec(1, 1, '2031-01-01T00:00:00Z'), partitions([1, '2030-01-01T00:00:00Z']));
    expect(problems(output, undefined, Date.parse('2030-01-01T00:00:00Z'))).toEqual([]);
    expect(problems(output, undefined, Date.parse('2030-06-01T00:00:00Z'))[0]).toMatch(/is below the largest at written \(2031-01-01T00:00:00.000Z\)/);
  });

  it('never below the input state, and an unchanged input bookmark claims nothing (lookback re-reads)', () => {
    const input = partitions([1, '2025-01-05T00:00:00Z']).value;
    const reread = lines(partitions([1, '2025-01-05T00:00:00Z']), SCHEMA, rec(1, 1, '2025-01-03T00:00:00Z'), partitions([1, '2025-01-05T00:00:00Z']));
    expect(problems(reread, input)).toEqual([]);
    const back = lines(SCHEMA, rec(1, 1, '2025-01-03T00:00:00Z'), partitions([1, '2025-01-03T00:00:00Z']));
    expect(problems(back, input)[0]).toBe('line 3: bookmarks.dept.partitions[0] moved back from "2025-01-05T00:00:00Z" to "2025-01-03T00:00:00Z"');
  });

  it('reads the singer-python form {"<replication key>": value} and names a bookmark on another field', () => {
    const plain = lines(SCHEMA, rec(1, 1, '2025-01-05T00:00:00Z'), { type: 'STATE', value: { bookmarks: { dept: { at: '2025-01-06T00:00:00Z' } } } });
    expect(problems(plain)).toEqual(['line 3: bookmarks.dept = "2025-01-06T00:00:00Z" is beyond the largest at written so far']);
    const other = lines(SCHEMA, rec(1, 1, '2025-01-05T00:00:00Z'), { type: 'STATE', value: { bookmarks: { dept: { replication_key: 'id', replication_key_value: 1 } } } });
    expect(problems(other)).toContain("line 3: bookmarks.dept is kept on 'id', but the stream's replication key is 'at'");
  });
});

describe('keys', () => {
  it('allows a key again with a later replication value (changed during the run), not with the same one', () => {
    const updated = lines(SCHEMA, rec(1, 1, '2025-01-01T00:00:00Z'), rec(1, 1, '2025-01-02T00:00:00Z'));
    expect(checkKeys(updated, catalog('dept', 'at')).findings.failures).toEqual([]);
    const repeated = lines(SCHEMA, rec(1, 1, '2025-01-02T00:00:00Z'), rec(1, 1, '2025-01-02T00:00:00Z'));
    expect(checkKeys(repeated, catalog('dept', 'at')).findings.failures).toEqual(["line 3: RECORD 'dept' repeats key [1,1] already written in this run with the same or a later at"]);
    expect(checkKeys(updated, catalog('dept')).findings.failures).toHaveLength(1);
  });
});

describe('STATE last', () => {
  const full = { type: 'SCHEMA', stream: 'tags', schema: { type: 'object', properties: { tag: { type: 'string' } } }, key_properties: ['tag'] };
  const both: Catalog = { streams: [...catalog('dept', 'at').streams, { tap_stream_id: 'tags', schema: full.schema, metadata: [{ breadcrumb: [], metadata: { selected: true, 'table-key-properties': ['tag'] } }] }] };
  it('allows, after the last STATE, what cannot change it (the SDK does not repeat an unchanged STATE)', () => {
    const tags = lines(SCHEMA, rec(1, 1, '2025-01-01T00:00:00Z'), partitions([1, '2025-01-01T00:00:00Z']), full, { type: 'RECORD', stream: 'tags', record: { tag: 'a' } });
    expect(checkMessages(tags, { catalog: both, stateExpected: true }).failures).toEqual([]);
    const boundary = lines(partitions([1, '2025-01-02T00:00:00Z']), SCHEMA, rec(1, 1, '2025-01-02T00:00:00Z'));
    expect(checkMessages(boundary, { catalog: both, stateExpected: true }).failures).toEqual([]);
  });
  it('not a record beyond its bookmark in the last STATE, nor one with no bookmark there', () => {
    const beyond = lines(partitions([1, '2025-01-02T00:00:00Z']), SCHEMA, rec(1, 1, '2025-01-03T00:00:00Z'));
    expect(checkMessages(beyond, { catalog: both, stateExpected: true }).failures).toEqual(["line 3: a RECORD of 'dept' comes after the last STATE and its at \"2025-01-03T00:00:00Z\" is beyond the bookmark of the last STATE (line 1): the final STATE must follow it"]);
    const other = lines(partitions([1, '2025-01-02T00:00:00Z']), SCHEMA, rec(2, 1, '2025-01-01T00:00:00Z'));
    expect(checkMessages(other, { catalog: both, stateExpected: true }).failures).toHaveLength(1);
    expect(checkMessages(lines(SCHEMA, rec(1, 1, '2025-01-01T00:00:00Z')), { catalog: both, stateExpected: true }).failures).toEqual(['the output has no STATE message: a target has no bookmark to keep']);
  });
});

describe('bad configs', () => {
  it('picks a setting its schema rejects: integers first, a union accepting the value never', () => {
    expect(wrongTypedSetting({ properties: { name: { type: 'string' }, size: { type: ['null', 'integer'] } } })).toEqual({ name: 'size', value: 'not-a-number', type: 'integer' });
    expect(wrongTypedSetting({ properties: { source: { type: ['string', 'object'] } } })).toEqual({ name: 'source', value: 12345, type: 'string' });
    expect(wrongTypedSetting({ properties: { any: {}, text: { type: ['string', 'number'] } } })).toBeUndefined();
  });

  it('tells stack traces of Node, Python, the JVM and Go from log lines', () => {
    const stderr = [
      '2025-01-01 CRITICAL config: setting x is required',
      '    at main (file:///tap/main.js:10:5)',
      'Traceback (most recent call last):',
      '  File "tap.py", line 3, in <module>',
      '\tat com.acme.Tap.main(Tap.java:12)',
      'goroutine 1 [running]:',
      'INFO the value at position 3 is fine',
    ].join('\n');
    expect(stackTraceLines(stderr)).toHaveLength(5);
    expect(failureLines(stderr)).toEqual(['2025-01-01 CRITICAL config: setting x is required']);
    expect(failureLines('{"level": "error", "message": "bad"}\nINFO an error page was retried')).toEqual(['{"level": "error", "message": "bad"}']);
  });
});

describe('secrets', () => {
  it('are the values of settings marked secret, or named like one (not a token URL), of 6+ characters', () => {
    const settings = { properties: { pass_phrase: { type: 'string', writeOnly: true }, region: { type: 'string' } } };
    const config = { pass_phrase: 'correct horse', api_key: 'k-123456', token_url: 'https://auth.example.com/token', access_token: 'short', region: 'eu-west-1' };
    expect([...secretValues(settings, config)]).toEqual([['pass_phrase', 'correct horse'], ['api_key', 'k-123456']]);
  });
});
