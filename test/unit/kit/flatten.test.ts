import { describe, it, expect } from 'vitest';
import { flattenKey, flattenRecord, flattenSchema, flatteningOptions } from '../../../src/kit/output/flatten.js';
import type { JsonObject, JsonSchema } from '../../../src/kit/core/json.js';
import { parseJson, stringifyJson } from '../../../src/kit/core/jsontext.js';

const nested: JsonSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    foo: {
      type: ['object', 'null'],
      properties: { bar: { type: ['object', 'null'], properties: { baz: { type: ['object', 'null'], properties: { qux: { type: 'string' } } } } }, n: { type: 'integer' } },
    },
    tags: { type: ['array', 'null'], items: { type: 'string' } },
    free: { type: 'object' },
    any: {},
    choice: { anyOf: [{ type: 'string', format: 'date-time' }, { type: 'null' }] },
  },
};
const opts = (maxDepth: number) => ({ maxDepth, separator: '__', maxKeyLength: 255 });

describe('flattening (the SDK rules)', () => {
  it('settings: off unless enabled; max depth required when enabled', () => {
    expect(flatteningOptions({})).toBeUndefined();
    expect(flatteningOptions({ flattening_enabled: true, flattening_max_depth: 0 })).toBeUndefined();
    expect(flatteningOptions({ flattening_enabled: true, flattening_max_depth: 2, flattening_separator: '.' })).toEqual({ maxDepth: 2, separator: '.', maxKeyLength: 255 });
    expect(() => flatteningOptions({ flattening_enabled: true })).toThrow('config: flattening_max_depth is required when flattening_enabled is true');
  });

  it('schema: declared objects become columns up to the depth; arrays, undeclared objects and the rest strings', () => {
    const d1 = flattenSchema(nested, opts(1), 's').properties!;
    expect(d1).toEqual({
      id: { type: 'string' },
      foo__bar: { type: ['string', 'null'] },
      foo__n: { type: 'integer' },
      tags: { type: ['string', 'null'] },
      free: { type: 'string' },
      any: { type: ['string', 'null'] },
      choice: { type: ['string', 'null'], format: 'date-time' },
    });
    expect(Object.keys(flattenSchema(nested, opts(3), 's').properties!)).toEqual(['id', 'foo__bar__baz__qux', 'foo__n', 'tags', 'free', 'any', 'choice']);
  });

  it('records: nested values to columns, the rest as compact JSON text', () => {
    const flat = flattenSchema(nested, opts(1), 's');
    const rec = { id: 'a', foo: { bar: { baz: { qux: 'x' } }, n: 3 }, tags: ['a', 'b'], free: { k: 1 }, none: null };
    expect(flattenRecord(rec, flat, opts(1))).toEqual({ id: 'a', foo__bar: '{"baz":{"qux":"x"}}', foo__n: 3, tags: '["a","b"]', free: '{"k":1}', none: null });
    expect(flattenRecord(rec, flattenSchema(nested, opts(3), 's'), opts(3))).toMatchObject({ foo__bar__baz__qux: 'x', free: '{"k":1}' });
  });

  it('integers beyond 2^53 keep every digit, as columns and inside JSON text', () => {
    const flat = flattenSchema(nested, opts(1), 's');
    const rec = parseJson('{"id": "a", "foo": {"bar": {"big": 12345678901234567891}, "n": 98765432109876543210}, "tags": [12345678901234567893], "free": {"k": 12345678901234567894}}') as JsonObject;
    expect(stringifyJson(flattenRecord(rec, flat, opts(1)))).toBe('{"id":"a","foo__bar":"{\\"big\\":12345678901234567891}","foo__n":98765432109876543210,"tags":"[12345678901234567893]","free":"{\\"k\\":12345678901234567894}"}');
  });

  it('any key is data: __proto__ and constructor are columns like the others', () => {
    const schema: JsonSchema = { type: 'object', properties: JSON.parse('{"__proto__": {"type": "string"}, "constructor": {"type": "object", "properties": {"x": {"type": "integer"}}}}') as Record<string, JsonSchema> };
    const flat = flattenSchema(schema, opts(1), 's');
    expect(Object.keys(flat.properties!)).toEqual(['__proto__', 'constructor__x']);
    const out = flattenRecord(JSON.parse('{"__proto__": "p", "constructor": {"x": 1}}') as JsonObject, flat, opts(1));
    expect(JSON.stringify(out)).toBe('{"__proto__":"p","constructor__x":1}');
  });

  it('a duplicate column is a clear error', () => {
    const dup: JsonSchema = { type: 'object', properties: { a__b: { type: 'string' }, a: { type: 'object', properties: { b: { type: 'string' } } } } };
    expect(() => flattenSchema(dup, opts(1), 'users')).toThrow("stream 'users': flattening produces the column 'a__b' twice");
  });

  it('long names are shortened as the SDK does', () => {
    const long = 'customer_billing_address';
    expect(flattenKey('postal_code_value', [long, 'primary_location'], { separator: '__', maxKeyLength: 40 })).toBe('cba__pl__postal_code_value');
    expect(flattenKey('x', ['a'], { separator: '__', maxKeyLength: 255 })).toBe('a__x');
  });
});
