import { describe, it, expect } from 'vitest';
import { fillPath, rest, childRows } from '../../../src/kit/tap/stream.js';
import { userError } from './support.js';

describe('stream declarations', () => {
  it('rest() and childRows() tag their kind', () => {
    expect(rest({ name: 'a', path: '/a', primaryKey: ['id'] }).kind).toBe('rest');
    expect(childRows({ name: 'b', parent: 'a', primaryKey: ['id'], rows: () => [] }).kind).toBe('rows');
  });

  it('fillPath fills {fields} from the context, URL-encoded', () => {
    expect(fillPath('/projects/{id}/items', { id: 7 }, { stream: 's' })).toBe('/projects/7/items');
    expect(fillPath('/orgs/{org}/repos/{repo}', { org: 'a b', repo: 'x/y' }, { stream: 's' })).toBe('/orgs/a%20b/repos/x%2Fy');
    expect(fillPath('/plain', {}, { stream: 's' })).toBe('/plain');
  });

  it('fillPath names the stream and the missing field', () => {
    expect(userError(() => fillPath('/projects/{id}/items', { other: 1 }, { stream: 'items' })).message).toBe("stream 'items': path /projects/{id}/items: placeholder {id} has no value: the parent record passed no 'id' (its context: [\"other\"])");
    expect(userError(() => fillPath('/projects/{id}', { id: null }, { stream: 'items' })).message).toMatch(/placeholder \{id\} has no value: the parent record passed 'id' as null/);
    expect(userError(() => fillPath('/x/{constructor}', {}, { stream: 'items' })).message).toMatch(/placeholder \{constructor\} has no value/);
  });
});
