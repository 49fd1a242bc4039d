import { describe, it, expect } from 'vitest';
import { parseJson, stringifyJson, jsonSyntaxError, parseJsonFile } from '../../../src/kit/core/jsontext.js';
import { userError } from './support.js';

describe('lossless JSON (issue 9 #1)', () => {
  it('keeps integers above 2^53 exact from text to text', () => {
    const text = '{"id":12345678901234567891,"b":[1,-98765432109876543210],"s":"x","f":1.5}';
    const value = parseJson(text) as { id: unknown };
    expect(typeof value.id).toBe('bigint');
    expect(stringifyJson({ type: 'RECORD', record: value })).toBe(`{"type":"RECORD","record":${text}}`);
  });

  it('two ids that JSON.parse would collapse stay distinct', () => {
    const a = parseJson('{"id":9007199254740993}') as { id: bigint };
    const b = parseJson('{"id":9007199254740992}') as { id: bigint };
    expect(JSON.parse('9007199254740993')).toBe(JSON.parse('9007199254740992'));
    expect(stringifyJson(a)).not.toBe(stringifyJson(b));
  });

  it('takes the fast path without long digits, and the last of duplicate keys either way', () => {
    expect(parseJson('{"a":1,"a":2}')).toEqual({ a: 2 });
    expect(parseJson('{"a":12345678901234567890,"a":2}')).toEqual({ a: 2 });
    expect(parseJson('{"n":1234567890123456}')).toEqual({ n: 1234567890123456 });
  });

  it('finds an integer beyond 2^53 however deep it sits, and ignores long digits inside strings', () => {
    const deep = parseJson('{"a":[{"b":[[1.5,-12345678901234567891]]}],"s":"12345678901234567891"}') as { a: [{ b: [[number, unknown]] }]; s: unknown };
    expect(deep.a[0].b[0][1]).toBe(-12345678901234567891n);
    expect(deep.s).toBe('12345678901234567891');
    // Numbers written with an exponent stay numbers on either path.
    expect(parseJson('{"e":1e20,"f":[2.5e300]}')).toEqual({ e: 1e20, f: [2.5e300] });
    // 2^53 itself is beyond the safe integers (2^53 + 1 parses to it).
    expect(parseJson('[9007199254740992]')).toEqual([9007199254740992n]);
  });

  it('reads a body nested deeper than a walk can go, as JSON.parse does', () => {
    const depth = 200_000;
    let value = parseJson(`${'['.repeat(depth)}1${']'.repeat(depth)}`);
    let levels = 0;
    while (Array.isArray(value)) {
      value = value[0];
      levels++;
    }
    expect([levels, value]).toEqual([depth, 1]);
  });
});

describe('JSON file errors (issue 9 #18)', () => {
  const secret = 'Zq8xK3pW7mN2vB9rT4';
  it('name line and column and never the content', () => {
    const cases = [
      `{\n  "token": "${secret}",\n  "x": 12a\n}`,
      `{"token": "${secret}`,
      `{"token": "${secret}" "x": 1}`,
      `{"token": ${secret}}`,
      `{"a": 1,}`,
    ];
    for (const text of cases) {
      const message = jsonSyntaxError(text) as string;
      expect(message).toMatch(/^line \d+, column \d+: /);
      for (let i = 0; i + 4 <= secret.length; i++) expect(message).not.toContain(secret.slice(i, i + 4));
      const e = userError(() => parseJsonFile(text, '--config c.json'));
      expect(e.message.split('\n')).toHaveLength(1);
      expect(e.message).not.toContain(secret.slice(0, 4));
    }
    expect(jsonSyntaxError(`{\n  "token": "x",\n  "x": 12a\n}`)).toBe("line 3, column 10: Comma ',' expected after value");
  });
});
