// Parents from path parameters, through the whole generation.
import { describe, it, expect } from 'vitest';
import { generate } from '../../../src/taps/rest/openapi/generate.js';
import { get, openapi, source, user } from './support.js';

const list = { type: 'array', items: user };
const path = (name: string) => ({ name, in: 'path', required: true, schema: { type: 'string' } });

describe('parents from path parameters', () => {
  it('/users/{user_id}/repos is a child of users, {user_id} its id', () => {
    const g = generate(source(openapi({ '/users': get(list), '/users/{user_id}/repos': get(list, [path('user_id')]) })));
    const repos = g.resources.find((r) => r.name === 'repos');
    expect(repos?.config.endpoint).toMatchObject({ path: '/users/{resources.users.id}/repos' });
    expect(repos?.child).toBe(true);
    expect(repos?.comment).toContain('parent: {user_id} is \'id\' of users (/users)');
  });
  it('a parameter named as a parent field takes it ({name} of /projects records)', () => {
    const projects = { type: 'array', items: { type: 'object', properties: { id: { type: 'integer' }, name: { type: 'string' } } } };
    const g = generate(source(openapi({ '/projects': get(projects), '/projects/{name}/tasks': get(list, [path('name')]) })));
    expect(g.resources.find((r) => r.name === 'tasks')?.config.endpoint).toMatchObject({ path: '/projects/{resources.projects.name}/tasks' });
  });
  it('a placeholder no list supplies is a setting', () => {
    const g = generate(source(openapi({ '/orgs/{org}/repos': get(list, [path('org')]) })));
    expect(g.resources[0]?.config.endpoint).toMatchObject({ path: '/orgs/{config.org}/repos' });
    expect(g.settings.org).toMatchObject({ type: 'string', description: expect.stringContaining('Path parameter {org}') });
  });
  it('a grandchild whose path needs the grandparent\'s field too is skipped, with the reason', () => {
    const g = generate(source(openapi({ '/a': get(list), '/a/{a_id}/b': get(list, [path('a_id')]), '/a/{a_id}/b/{b_id}/c': get(list, [path('a_id'), path('b_id')]) })));
    expect(g.resources.map((r) => r.name)).toEqual(['a', 'b']);
    expect(g.skipped).toContainEqual({ path: '/a/{a_id}/b/{b_id}/c', method: 'GET', reason: "{a_id} is bound to a grandparent's field (a resource reads one parent)" });
  });
});
