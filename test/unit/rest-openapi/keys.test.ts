// Primary keys from the record schema.
import { describe, it, expect } from 'vitest';
import { detectPrimaryKey, singular } from '../../../src/taps/rest/openapi/keys.js';
import { RefResolver } from '../../../src/taps/rest/openapi/refs.js';
import { convertSchema } from '../../../src/taps/rest/openapi/schema.js';
import { generate } from '../../../src/taps/rest/openapi/generate.js';
import { get, openapi, source } from './support.js';

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
  it('a field the document says may be null is no key, even where it says so of every text field (a mock answers null there)', () => {
    const n = { type: 'string', nullable: true };
    expect(key(obj({ id: n, name: { type: 'string' }, size: { type: 'integer' } }))).toBeUndefined();
    expect(key(obj({ id: n, name: n, notes: n, size: { type: 'integer' } }))).toBeUndefined();
  });
  it('sid (Twilio)', () => expect(key(obj({ sid: { type: 'string' }, account_sid: { type: 'string' }, friendly_name: { type: 'string' } }), 'workers')).toEqual(['sid']));
  it('none: no key (objects and arrays never are one)', () => {
    expect(key(obj({ name: { type: 'string' }, count: { type: 'integer' } }))).toBeUndefined();
    expect(key(obj({ id: { type: 'object' } }))).toBeUndefined();
  });
  it('singular names', () => {
    expect(['users', 'repositories', 'statuses', 'boxes', 'data'].map(singular)).toEqual(['user', 'repository', 'status', 'box', 'data']);
  });
});

describe('the key a path placeholder gives', () => {
  const p = (name: string) => ({ name, in: 'path', required: true, schema: { type: 'string' } });
  const standing = { type: 'object', properties: { Season: { type: 'integer' }, Team: { type: 'string' }, Wins: { type: 'integer' } } };
  const g = generate(source(openapi({
    '/players/{login}': get({ type: 'object', properties: { login: { type: 'string' }, name: { type: 'string' } } }, [p('login')]),
    // A list at a path ending in a placeholder: every record carries the same season; as a key it would merge them into one row.
    '/standings/{season}': get({ type: 'array', items: standing }, [p('season')]),
  })));
  it('is the key of the one object the path names, never of a list', () => {
    expect(g.resources.map((r) => [r.name, r.kind, r.config.primary_key, r.config.write_disposition])).toEqual([
      ['players_by_login', 'object', 'login', 'merge'],
      ['standings_by_season', 'list', undefined, 'append'],
    ]);
  });
});
