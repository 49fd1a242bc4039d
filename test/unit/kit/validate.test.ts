import { describe, it, expect } from 'vitest';
import { RecordConformer, createAjv, toUtc, describeAjvError } from '../../../src/kit/records/validate.js';
import { UserError } from '../../../src/kit/core/errors.js';
import type { JsonSchema } from '../../../src/kit/core/json.js';

const schema: JsonSchema = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    updated_at: { type: 'string', format: 'date-time' },
    deleted_at: { type: ['null', 'string'], format: 'date-time' },
    seen_at: { anyOf: [{ type: 'string', format: 'date-time' }, { type: 'null' }] },
    amount: { type: ['null', 'number'] },
    count: { type: 'integer' },
    active: { type: 'boolean' },
    name: { type: ['null', 'string'] },
    tags: { type: 'array', items: { type: 'string' } },
    meta: { type: 'object' },
  },
};

function conformer(s: JsonSchema = schema, key = ['id']): RecordConformer {
  return new RecordConformer(createAjv(), { stream: 'users', schema: s, primaryKey: key });
}

function error(fn: () => unknown): UserError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(UserError);
    return e as UserError;
  }
  throw new Error('expected a UserError');
}

describe('toUtc', () => {
  it('offsets become UTC Z', () => {
    expect(toUtc('2024-01-01T02:30:00+02:00')).toBe('2024-01-01T00:30:00.000Z');
    expect(toUtc('2024-01-01T00:30:00-05:00')).toBe('2024-01-01T05:30:00.000Z');
    expect(toUtc('2024-01-01T00:30:00.123456+00:00')).toBe('2024-01-01T00:30:00.123Z');
  });
  it('naive timestamps are read as UTC', () => {
    expect(toUtc('2024-01-01T10:00:00')).toBe('2024-01-01T10:00:00.000Z');
    expect(toUtc('2024-01-01 10:00:00.5')).toBe('2024-01-01T10:00:00.500Z');
    expect(toUtc('2024-01-01T10:00')).toBe('2024-01-01T10:00:00.000Z');
  });
  it('epoch numbers: milliseconds and seconds', () => {
    expect(toUtc(1704067200000)).toBe('2024-01-01T00:00:00.000Z');
    expect(toUtc(1704067200)).toBe('2024-01-01T00:00:00.000Z');
  });
  it('Z values are kept as they are; non-dates are left for validation to reject', () => {
    expect(toUtc('2024-01-01T00:00:00Z')).toBe('2024-01-01T00:00:00Z');
    expect(toUtc('not a date')).toBe('not a date');
    expect(toUtc(true)).toBe(true);
    expect(toUtc(null)).toBe(null);
  });
  it('an RFC 2822 / HTTP date is converted', () => {
    expect(toUtc('Mon, 01 Jan 2024 10:00:00 GMT')).toBe('2024-01-01T10:00:00.000Z');
  });
  it('garbage that a lenient parser would read as a date is not turned into one', () => {
    // V8's Date.parse reads "version 2" as 2001-02-01 and "1" as 2001-01-01 (local time)
    expect(toUtc('version 2')).toBe('version 2');
    expect(toUtc('1')).toBe('1');
    expect(toUtc('March 5')).toBe('March 5');
    expect(toUtc('Room 1234')).toBe('Room 1234');
    expect(conformer().conform.bind(conformer(), { id: 1, updated_at: 'version 2' })).toThrow(/field 'updated_at' must match format "date-time" \(got "version 2"\)/);
  });
  it('ctime-style dates with a time of day are still converted', () => {
    expect(toUtc('Wed Oct 10 20:19:24 +0000 2018')).toBe('2018-10-10T20:19:24.000Z');
    expect(toUtc('2024-01-01')).toBe('2024-01-01T00:00:00.000Z');
  });
});

describe('RecordConformer', () => {
  it('keeps only schema properties', () => {
    const out = conformer().conform({ id: 1, name: 'a', secret_field: 'x', nested: { y: 1 } });
    expect(out).toEqual({ id: 1, name: 'a' });
  });

  it('keeps only the selected properties of a projected schema', () => {
    const projected: JsonSchema = { type: 'object', properties: { id: schema.properties!.id!, name: schema.properties!.name! } };
    expect(conformer(projected).conform({ id: 1, name: 'a', amount: 3, updated_at: '2024-01-01T00:00:00Z' })).toEqual({ id: 1, name: 'a' });
  });

  it('converts date-times (offset, naive, epoch ms, nullable, anyOf) to UTC Z', () => {
    const out = conformer().conform({
      id: 1,
      updated_at: '2024-03-01T12:00:00+01:00',
      deleted_at: '2024-03-01 12:00:00',
      seen_at: 1709294400000,
    });
    expect(out).toEqual({ id: 1, updated_at: '2024-03-01T11:00:00.000Z', deleted_at: '2024-03-01T12:00:00.000Z', seen_at: '2024-03-01T12:00:00.000Z' });
    expect(conformer().conform({ id: 1, deleted_at: null, seen_at: null })).toEqual({ id: 1, deleted_at: null, seen_at: null });
  });

  it('numeric strings become numbers for integer and number fields', () => {
    const out = conformer().conform({ id: '42', amount: '12.50', count: ' 7 ' });
    expect(out).toEqual({ id: 42, amount: 12.5, count: 7 });
    expect(typeof out.id).toBe('number');
  });

  it('converts fields whatever their names: quotes, backslashes, line breaks, code-like text', () => {
    const names = ['a"b', 'back\\slash', 'line\nbreak', 'sep\u2028arator', '"]; throw 1; //', '${x}', 'ünï', ''];
    const s: JsonSchema = { type: 'object', properties: Object.fromEntries(names.map((n) => [n, { type: 'integer' }])) };
    const record = Object.fromEntries(names.map((n, i) => [n, String(i)]));
    const out = new RecordConformer(createAjv(), { stream: 'odd', schema: s, primaryKey: [] }).conform(record);
    expect(out).toEqual(Object.fromEntries(names.map((n, i) => [n, i])));
  });

  it('fields outside the schema: a deselected one dropped quietly, an unknown one said once, or the schema widened to it', () => {
    const projected: JsonSchema = { type: 'object', properties: { id: { type: 'integer' }, name: { type: 'string' } } };
    const said: string[] = [];
    const c = new RecordConformer(createAjv(), { stream: 's', schema: projected, primaryKey: ['id'], known: new Set(['id', 'name', 'hidden']), onUnknown: (f) => said.push(f) });
    expect(c.conform({ id: 1, name: 'a', hidden: 'x', extra: 1, more: 2 })).toEqual({ id: 1, name: 'a' });
    expect(c.conform({ id: 2, extra: 3, name: 'b' })).toEqual({ id: 2, name: 'b' });
    expect(said).toEqual(['extra', 'more']);
    const widenedTo: string[][] = [];
    const w = new RecordConformer(createAjv(), {
      stream: 's', schema: projected, primaryKey: ['id'], known: new Set(['id', 'name']), onUnknown: (f) => said.push(`never ${f}`),
      widen: (_record, fields) => {
        widenedTo.push(fields);
        return { ...projected, properties: { ...projected.properties, score: { type: 'integer' } } };
      },
    });
    const record = { id: '3', name: 'c', score: '7' };
    expect(w.conform(record)).toEqual({ id: 3, name: 'c', score: 7 });
    expect(w.conform({ id: 4, score: 8 })).toEqual({ id: 4, score: 8 });
    expect(widenedTo).toEqual([['score']]);
    expect(said).toEqual(['extra', 'more']);
  });

  it('booleans from "true"/"false"; numbers to strings for string fields', () => {
    expect(conformer().conform({ id: 1, active: 'false', name: 12 })).toEqual({ id: 1, active: false, name: '12' });
  });

  it('a non-numeric string in an integer field is an error naming stream, key and field', () => {
    const e = error(() => conformer().conform({ id: 7, count: 'many' }));
    expect(e.message).toBe('stream \'users\' record id=7: field \'count\' must be integer (got "many")');
  });

  it('a bad date-time is an error naming stream, key value and field', () => {
    const e = error(() => conformer().conform({ id: 'abc-1', updated_at: '31/12/2024' }));
    // id is an integer field: "abc-1" is not converted and is reported as well
    expect(e.message).toContain("stream 'users' record id=\"abc-1\"");
    const e2 = error(() => conformer().conform({ id: 9, updated_at: 'not-a-date' }));
    expect(e2.message).toBe('stream \'users\' record id=9: field \'updated_at\' must match format "date-time" (got "not-a-date")');
  });

  it('a missing key property is an error naming the stream and the key', () => {
    const e = error(() => conformer(schema, ['id', 'name']).conform({ id: 3, name: null }));
    expect(e.message).toBe("stream 'users': a record has no value for key property 'name' (id=3, name=null)");
    const e2 = error(() => conformer().conform({ name: 'x' }));
    expect(e2.message).toContain("no value for key property 'id'");
  });

  it('an invalid schema is a UserError naming the stream', () => {
    expect(() => new RecordConformer(createAjv(), { stream: 'broken', schema: { type: 'object', properties: { a: { type: 'no-such-type' } } }, primaryKey: [] })).toThrow(/stream 'broken': its schema is not valid JSON Schema/);
  });

  it('describeAjvError names nested paths', () => {
    const ajv = createAjv();
    const v = ajv.compile({ type: 'object', properties: { meta: { type: 'object', properties: { n: { type: 'integer' } }, required: ['m'] } } });
    const data = { meta: { n: 'x' } };
    v(data);
    const texts = (v.errors ?? []).map((e) => describeAjvError(e, data));
    expect(texts).toContain("field 'meta.m' is required");
    expect(texts).toContain('field \'meta.n\' must be integer (got "x")');
  });
});

describe('RecordConformer: in place or copied', () => {
  it('a record of schema fields only is conformed in place; one with other fields is copied without them', () => {
    const c = conformer();
    const own = { id: 1, updated_at: '2024-01-01T02:00:00+02:00' };
    const out = c.conform(own);
    expect(out).toBe(own);
    expect(out).toEqual({ id: 1, updated_at: '2024-01-01T00:00:00.000Z' });
    const extra = { id: 2, secret_field: 'x', name: 'n' };
    const copied = c.conform(extra);
    expect(copied).not.toBe(extra);
    expect(copied).toEqual({ id: 2, name: 'n' });
    expect(extra.secret_field).toBe('x');
  });

  it('date-time format: canonical UTC takes the quick check, impossible days and other forms the full one', () => {
    const c = conformer({ type: 'object', properties: { id: { type: 'integer' }, at: { type: 'string', format: 'date-time' } } });
    expect(c.conform({ id: 1, at: '2024-02-29T23:59:59Z' }).at).toBe('2024-02-29T23:59:59Z');
    expect(c.conform({ id: 1, at: '2024-02-29T23:59:59.123456Z' }).at).toBe('2024-02-29T23:59:59.123456Z');
    expect(() => c.conform({ id: 1, at: '2023-02-29T00:00:00Z' })).toThrow(/field 'at' must match format "date-time"/);
    expect(() => c.conform({ id: 1, at: '1900-02-29T00:00:00Z' })).toThrow(/must match format "date-time"/);
    expect(c.conform({ id: 1, at: '2000-02-29T00:00:00Z' }).at).toBe('2000-02-29T00:00:00Z');
    expect(c.conform({ id: 1, at: '2024-12-31T00:00:00Z' }).at).toBe('2024-12-31T00:00:00Z');
    expect(() => c.conform({ id: 1, at: '2024-04-31T00:00:00Z' })).toThrow(/must match format "date-time"/);
    expect(() => c.conform({ id: 1, at: '2023-13-01T00:00:00Z' })).toThrow(/must match format "date-time"/);
    expect(() => c.conform({ id: 1, at: 'yesterday' })).toThrow(/must match format "date-time"/);
    const ajv = createAjv();
    const v = ajv.compile({ type: 'string', format: 'date-time' });
    expect(v('2024-01-01T00:00:00+05:30')).toBe(true);
    expect(v('2024-01-01 00:00:00')).toBe(false);
  });
});
