import { describe, it, expect } from 'vitest';
import { inferSchema, widenSchema } from '../../../src/kit/records/infer.js';
import { parseJson } from '../../../src/kit/core/jsontext.js';

describe('schema inference', () => {
  it('types, date-times, nullability, nested objects and arrays', () => {
    const s = inferSchema([
      { id: 1, at: '2024-01-01T00:00:00Z', n: 1, tags: ['a'], o: { x: 1 }, maybe: null, day: '2024-01-01' },
      { id: 2, at: '2024-01-02T10:00:00+02:00', n: 1.5, tags: [], o: { y: 'z' }, maybe: null },
    ]);
    expect(s.properties).toEqual({
      id: { type: ['integer', 'null'] },
      at: { type: ['string', 'null'], format: 'date-time' },
      n: { type: ['number', 'null'] },
      tags: { type: ['array', 'null'], items: { type: ['string', 'null'] } },
      o: { type: ['object', 'null'], properties: { x: { type: ['integer', 'null'] }, y: { type: ['string', 'null'] } } },
      maybe: {},
      day: { type: ['string', 'null'] },
    });
  });
  it('an integer beyond 2^53 (a bigint off the wire) is an integer, not an object', () => {
    const s = inferSchema([parseJson('{"id": 12345678901234567891, "o": {"n": 98765432109876543210}, "l": [12345678901234567893]}') as Record<string, unknown>, { id: 2 }]);
    expect(s.properties).toEqual({
      id: { type: ['integer', 'null'] },
      o: { type: ['object', 'null'], properties: { n: { type: ['integer', 'null'] } } },
      l: { type: ['array', 'null'], items: { type: ['integer', 'null'] } },
    });
  });
  it('never narrows: a date-time then a plain string is a string; mixed kinds are unions', () => {
    expect(inferSchema([{ a: '2024-01-01T00:00:00Z' }, { a: 'soon' }]).properties?.a).toEqual({ type: ['string', 'null'] });
    expect(inferSchema([{ a: 1 }, { a: 'x' }]).properties?.a).toEqual({ type: ['string', 'integer', 'null'] });
    expect(widenSchema({ type: ['integer', 'null'] }, { type: ['number'] })).toEqual({ type: ['null', 'number'] });
  });
});
