import { describe, it, expect } from 'vitest';
import { jsonApiFlatten } from '../../../src/kit/records/jsonapi.js';

describe('jsonApiFlatten', () => {
  it('makes the attributes object the record, with id and type after the attributes', () => {
    const item = { id: '7', type: 'monitor', attributes: { url: 'https://x', id: 'shadowed' } };
    const record = jsonApiFlatten(item);
    expect(record).toBe(item.attributes);
    expect(record).toEqual({ url: 'https://x', id: '7', type: 'monitor' });
    expect(Object.keys(record)).toEqual(['url', 'id', 'type']);
  });
  it('no attributes: id and type only; missing id or type are null', () => {
    expect(jsonApiFlatten({ id: 1 })).toEqual({ id: 1, type: null });
  });
});
