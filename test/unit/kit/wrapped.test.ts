import { describe, it, expect } from 'vitest';
import { unwrap } from '../../../src/kit/records/wrapped.js';

describe('unwrap', () => {
  it('flattens the wrapped resource next to its metadata', () => {
    const item = { project: { identifier: 'p1', orgIdentifier: 'default', tags: { a: '' }, modules: ['CD'] }, createdAt: 1, lastModifiedAt: 2, isFavorite: false };
    expect(unwrap(item, 'project')).toEqual({ identifier: 'p1', orgIdentifier: 'default', tags: { a: '' }, modules: ['CD'], createdAt: 1, lastModifiedAt: 2, isFavorite: false });
  });
  it('the resource wins a name both have; an item without the wrapper is left as it is', () => {
    expect(unwrap({ project: { name: 'inner' }, name: 'outer', x: 1 }, 'project')).toEqual({ name: 'inner', x: 1 });
    const plain = { identifier: 'p', project: 'not an object' };
    expect(unwrap(plain, 'project')).toBe(plain);
  });
});
