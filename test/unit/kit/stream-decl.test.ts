// A typed declaration is still checked at run time: a transform or rows function that returns something
// other than a plain object is the tap author's mistake, named with the stream.
import { describe, expect, it } from 'vitest';
import { childRows, rest } from '../../../src/kit/tap/stream.js';
import type { Page } from '../../../src/kit/paging/page.js';

const page = { body: {}, records: [] } as unknown as Page;
const ctx = { settings: {}, context: {}, syncStart: '2025-01-01T00:00:00Z' };

describe('rest() and childRows() pass typed records through as they are', () => {
  it('a record, null (dropped) and a mistake', () => {
    const s = rest<object, { id: number }>({ name: 'users', path: '/u', primaryKey: ['id'], transform: (item) => (item.skip ? null : { id: Number(item.id) }) });
    expect(s.transform?.({ id: '7' }, page, ctx)).toEqual({ id: 7 });
    expect(s.transform?.({ id: 1, skip: true }, page, ctx)).toBeNull();
    const bad = rest<object, { id: number }>({ name: 'users', path: '/u', primaryKey: ['id'], transform: () => [1] as never });
    expect(() => bad.transform?.({}, page, ctx)).toThrow("stream 'users': a transform returned a list, not a record");
  });
  it('child rows', () => {
    const c = childRows<object, { id: string }>({ name: 'members', parent: 'teams', primaryKey: ['id'], rows: (item) => [{ id: String(item.id) }] });
    expect(c.rows({ id: 3 }, page, {})).toEqual([{ id: '3' }]);
    const bad = childRows<object, { id: string }>({ name: 'members', parent: 'teams', primaryKey: ['id'], rows: () => ['x' as never] });
    expect(() => bad.rows({}, page, {})).toThrow("stream 'members': a transform returned string, not a record");
  });
});
