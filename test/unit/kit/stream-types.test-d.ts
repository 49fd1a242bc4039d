// Generated record types flow into stream declarations: keys and transform results are checked by tsc.
import { describe, expectTypeOf, it } from 'vitest';
import { childRows, rest, type RestStream } from '../../../src/kit/tap/stream.js';
import type { JsonObject } from '../../../src/kit/core/json.js';

interface UsersRecord {
  id: string;
  name?: string | null;
  updated_at?: string | null;
}
interface Settings {
  page_size: number;
}

describe('rest<S, R> and childRows<S, R>', () => {
  it('keys must be fields of the record type; an untyped stream takes any name', () => {
    expectTypeOf(rest<Settings, UsersRecord>({ name: 'users', path: '/users', primaryKey: ['id'], replicationKey: 'updated_at' })).toEqualTypeOf<RestStream<Settings>>();
    // @ts-expect-error 'uid' is not a field of UsersRecord
    rest<Settings, UsersRecord>({ name: 'users', path: '/users', primaryKey: ['uid'] });
    // @ts-expect-error 'updatedAt' is not a field of UsersRecord
    rest<Settings, UsersRecord>({ name: 'users', path: '/users', primaryKey: ['id'], replicationKey: 'updatedAt' });
    rest<Settings>({ name: 'users', path: '/users', primaryKey: ['anything'], replicationKey: 'any_field' });
  });

  it('a transform returns the record type (a missing required field does not compile)', () => {
    rest<Settings, UsersRecord>({ name: 'users', path: '/users', primaryKey: ['id'], transform: (item) => ({ id: String(item.id), name: null }) });
    // @ts-expect-error the record lacks `id`
    rest<Settings, UsersRecord>({ name: 'users', path: '/users', primaryKey: ['id'], transform: () => ({ name: 'x' }) });
    rest<Settings>({ name: 'users', path: '/users', primaryKey: ['id'], transform: (item): JsonObject => item });
  });

  it('child rows are of the record type', () => {
    childRows<Settings, UsersRecord>({ name: 'members', parent: 'teams', primaryKey: ['id'], rows: (item) => [{ id: String(item.id) }] });
    // @ts-expect-error a row's id must be a string
    childRows<Settings, UsersRecord>({ name: 'members', parent: 'teams', primaryKey: ['id'], rows: () => [{ id: 7 }] });
  });
});
