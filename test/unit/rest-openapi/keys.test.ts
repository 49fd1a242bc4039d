// Primary keys from the record schema.
import { describe, it, expect } from 'vitest';
import { detectPrimaryKey, singular } from '../../../src/taps/rest/openapi/keys.js';
import { RefResolver } from '../../../src/taps/rest/openapi/refs.js';
import { convertSchema } from '../../../src/taps/rest/openapi/schema.js';

const key = (raw: Record<string, unknown>, resource = 'users') => {
  const refs = new RefResolver({});
  return detectPrimaryKey(convertSchema(raw, refs), raw, resource, refs)?.key;
};
const obj = (properties: Record<string, unknown>, required?: string[]) => ({ type: 'object', properties, ...(required ? { required } : {}) });

describe('primary keys', () => {
  it('id first', () => expect(key(obj({ name: { type: 'string' }, id: { type: 'string' } }))).toEqual(['id']));
  it('<name>_id and <name>Id after the resource\'s singular name', () => {
    expect(key(obj({ user_id: { type: 'integer' }, org_id: { type: 'integer' } }))).toEqual(['user_id']);
    expect(key(obj({ repositoryId: { type: 'integer' } }), 'repositories')).toEqual(['repositoryId']);
  });
  it('key, uuid, slug', () => {
    expect(key(obj({ key: { type: 'string' }, name: { type: 'string' } }))).toEqual(['key']);
    expect(key(obj({ uuid: { type: 'string' } }))).toEqual(['uuid']);
  });
  it('the one uuid-format field, or the one required *_id field', () => {
    expect(key(obj({ ref: { type: 'string', format: 'uuid' }, name: { type: 'string' } }))).toEqual(['ref']);
    expect(key(obj({ account_id: { type: 'string' }, other_id: { type: 'string' } }, ['account_id']))).toEqual(['account_id']);
  });
  it('the placeholder an entity path names its record by, after id', () => {
    const refs = new RefResolver({});
    const raw = obj({ login: { type: 'string' }, name: { type: 'string' } });
    expect(detectPrimaryKey(convertSchema(raw, refs), raw, 'users', refs, 'login')?.key).toEqual(['login']);
    expect(detectPrimaryKey(convertSchema(raw, refs), raw, 'users', refs)).toBeUndefined();
  });
  it('none: no key (objects and arrays never are one)', () => {
    expect(key(obj({ name: { type: 'string' }, count: { type: 'integer' } }))).toBeUndefined();
    expect(key(obj({ id: { type: 'object' } }))).toBeUndefined();
  });
  it('singular names', () => {
    expect(['users', 'repositories', 'statuses', 'boxes', 'data'].map(singular)).toEqual(['user', 'repository', 'status', 'box', 'data']);
  });
});
