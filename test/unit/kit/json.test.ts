import { describe, it, expect } from 'vitest';
import { getPath, isJsonObject, schemaTypes } from '../../../src/kit/core/json.js';

describe('getPath', () => {
  const body = { data: [{ id: 1, tags: [{ name: 'x' }] }, { id: 2 }], meta: { page: { next: 'abc', total: 0 } }, flag: false, nothing: null };

  it('$ and the empty path are the value itself', () => {
    expect(getPath(body, '$')).toBe(body);
    expect(getPath(body, '')).toBe(body);
    expect(getPath(body, ' $ ')).toBe(body);
    expect(getPath([1, 2], '$')).toEqual([1, 2]);
  });

  it('$.a.b and a.b', () => {
    expect(getPath(body, '$.meta.page.next')).toBe('abc');
    expect(getPath(body, 'meta.page.next')).toBe('abc');
    expect(getPath(body, 'meta.page.total')).toBe(0);
    expect(getPath(body, 'flag')).toBe(false);
    expect(getPath(body, 'nothing')).toBeNull();
  });

  it('array indexes: a.0.b', () => {
    expect(getPath(body, 'data.0.id')).toBe(1);
    expect(getPath(body, 'data.1.id')).toBe(2);
    expect(getPath(body, 'data.0.tags.0.name')).toBe('x');
    expect(getPath(body, 'data.5.id')).toBeUndefined();
  });

  it('data[*] selects the list', () => {
    expect(getPath(body, 'data[*]')).toBe(body.data);
    expect(getPath(body, '$.data[*]')).toBe(body.data);
    expect(getPath({ a: { items: [1] } }, '$.a.items[*]')).toEqual([1]);
  });

  it('missing paths are undefined, never a throw', () => {
    expect(getPath(body, 'missing.deeper')).toBeUndefined();
    expect(getPath(body, 'nothing.deeper')).toBeUndefined();
    expect(getPath(body, 'meta.page.next.length')).toBeUndefined();
    expect(getPath(null, 'a')).toBeUndefined();
    expect(getPath(undefined, 'a.b')).toBeUndefined();
    expect(getPath(42, 'a')).toBeUndefined();
  });
});

describe('isJsonObject and schemaTypes', () => {
  it('isJsonObject is true only for plain objects', () => {
    expect(isJsonObject({})).toBe(true);
    expect(isJsonObject([])).toBe(false);
    expect(isJsonObject(null)).toBe(false);
    expect(isJsonObject('x')).toBe(false);
  });
  it('schemaTypes lists types from type, type arrays and anyOf/oneOf', () => {
    expect(schemaTypes({ type: 'string' })).toEqual(['string']);
    expect(schemaTypes({ type: ['null', 'integer'] })).toEqual(['null', 'integer']);
    expect(schemaTypes({ anyOf: [{ type: 'string' }, { type: 'null' }] })).toEqual(['string', 'null']);
    expect(schemaTypes({ oneOf: [{ type: ['number', 'null'] }] })).toEqual(['number', 'null']);
    expect(schemaTypes({})).toEqual([]);
  });

  describe('JSONPath as dlt reads it (a real implementation for queries; issue 16 #1)', () => {
    const doc = {
      data: [{ id: 'a', active: true }, { id: 'b', active: false }, { id: 'c', active: true }],
      groups: [{ members: [{ n: 1 }, { n: 2 }] }, { members: [{ n: 3 }] }],
      deep: { inner: { records: [{ r: 1 }, { r: 2 }] } },
    };
    it('a negative index counts from the end: the last item\'s id (Stripe cursors)', () => {
      expect(getPath(doc, 'data[-1].id')).toBe('c');
      expect(getPath(doc, '$.data[-2].id')).toBe('b');
      expect(getPath({ data: [] }, 'data[-1].id')).toBeUndefined();
    });
    it('wildcards, filters, recursive descent and slices give every match', () => {
      expect(getPath(doc, 'groups[*].members[*]')).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
      expect(getPath(doc, '$.data[?(@.active == true)]')).toEqual([doc.data[0], doc.data[2]]);
      expect(getPath(doc, '$..records[*]')).toEqual([{ r: 1 }, { r: 2 }]);
      expect(getPath(doc, '$.data[0:2].id')).toEqual(['a', 'b']);
    });
    it('one match is the value itself; none is undefined', () => {
      expect(getPath(doc, '$..inner.records')).toEqual(doc.deep.inner.records);
      expect(getPath(doc, '$..nowhere')).toBeUndefined();
    });
    it('a filter is data, never code', () => {
      expect(() => getPath(doc, '$.data[?(@.constructor.constructor("return process")())]')).toThrow();
    });
  });
});
