// Incremental candidates: an updated_at-like date-time field and a filter parameter on it.
import { describe, it, expect } from 'vitest';
import { detectIncremental } from '../../../src/taps/rest/openapi/incremental.js';
import type { Parameter } from '../../../src/taps/rest/openapi/endpoints.js';

const p = (name: string): Parameter => ({ name, in: 'query', required: false, schema: { type: 'string' } });
const record = { type: 'object', properties: { id: { type: 'integer' }, updated_at: { type: ['string', 'null'], format: 'date-time' }, modifiedAt: { type: 'string', format: 'date-time' } } };

describe('incremental', () => {
  it('updated_at with since / updated_since / updated_at[gte]', () => {
    expect(detectIncremental(record, [p('since')]).found).toMatchObject({ cursor: 'updated_at', param: 'since' });
    expect(detectIncremental(record, [p('updated_since')]).found).toMatchObject({ cursor: 'updated_at', param: 'updated_since' });
    expect(detectIncremental(record, [p('updated_at[gte]')]).found).toMatchObject({ cursor: 'updated_at', param: 'updated_at[gte]' });
  });
  it('camelCase fields and parameters', () => {
    const r = { type: 'object', properties: { modifiedAt: { type: 'string', format: 'date-time' } } };
    expect(detectIncremental(r, [p('modifiedAfter')]).found).toMatchObject({ cursor: 'modifiedAt', param: 'modifiedAfter' });
  });
  it('a field without a filter parameter is a candidate only; a string without date-time format is nothing', () => {
    expect(detectIncremental(record, [p('q')])).toEqual({ candidate: 'updated_at' });
    expect(detectIncremental({ type: 'object', properties: { updated_at: { type: 'string' } } }, [p('since')])).toEqual({});
  });
});
