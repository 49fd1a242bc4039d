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
  it('a placeholder named as the parent itself takes its key ({customer} of /customers, {credit_note} of /credit_notes)', () => {
    const byText = { type: 'array', items: { type: 'object', properties: { id: { type: 'string' }, email: { type: 'string' } } } };
    const g = generate(source(openapi({
      '/v1/customers': get(byText), '/v1/customers/{customer}/sources': get(list, [path('customer')]),
      '/v1/credit_notes': get(byText), '/v1/credit_notes/{credit_note}/lines': get(list, [path('credit_note')]),
    })));
    expect(g.resources.find((r) => r.name === 'sources')?.config.endpoint).toMatchObject({ path: '/v1/customers/{resources.customers.id}/sources' });
    expect(g.resources.find((r) => r.name === 'sources')?.comment).toContain("parent: {customer} is 'id' of customers (/v1/customers)");
    expect(g.resources.find((r) => r.name === 'lines')?.config.endpoint).toMatchObject({ path: '/v1/credit_notes/{resources.credit_notes.id}/lines' });
    expect(g.settings.customer).toBeUndefined();
  });
  it('a placeholder named as the parent is a setting when the parent has no key', () => {
    const keyless = { type: 'array', items: { type: 'object', properties: { title: { type: 'string' } } } };
    const g = generate(source(openapi({ '/customers': get(keyless), '/customers/{customer}/sources': get(list, [path('customer')]) })));
    expect(g.resources.find((r) => r.name === 'sources')?.config.endpoint).toMatchObject({ path: '/customers/{config.customer}/sources' });
  });
  it('a placeholder named as the parent, typed as a string, does not take a numeric key (GitHub\'s {assignee} is a login)', () => {
    const g = generate(source(openapi({ '/assignees': get(list), '/assignees/{assignee}': get(user, [path('assignee')]) })));
    expect(g.resources.find((r) => r.path === '/assignees/{assignee}')?.config.endpoint).toMatchObject({ path: '/assignees/{config.assignee}' });
    const numeric = { name: 'assignee', in: 'path', required: true, schema: { type: 'integer' } };
    const h = generate(source(openapi({ '/assignees': get(list), '/assignees/{assignee}': get(user, [numeric]) })));
    expect(h.resources.find((r) => r.path === '/assignees/{assignee}')?.config.endpoint).toMatchObject({ path: '/assignees/{resources.assignees.id}' });
  });
  it('on an Azure Resource Manager path a placeholder that would take \'id\' (the full resource path there) takes \'name\'', () => {
    const arm = '/subscriptions/{subscriptionId}/providers/Microsoft.Automation';
    const resources = { type: 'array', items: { type: 'object', properties: { id: { type: 'string' }, name: { type: 'string' } } } };
    const sub = path('subscriptionId');
    const g = generate(source(openapi({
      [`${arm}/softwareUpdateConfigurationRuns`]: get(resources, [sub]),
      [`${arm}/softwareUpdateConfigurationRuns/{softwareUpdateConfigurationRunId}`]: get(user, [sub, path('softwareUpdateConfigurationRunId')]),
      [`${arm}/scaleUnits`]: get(resources, [sub]),
      [`${arm}/scaleUnits/{scaleUnit}/nodes`]: get(list, [sub, path('scaleUnit')]),
      '/snapshots': get(resources), '/snapshots/{snapshotId}': get(user, [path('snapshotId')]),
    })));
    const run = g.resources.find((r) => r.path.endsWith('{softwareUpdateConfigurationRunId}'));
    expect(run?.config.endpoint).toMatchObject({ path: `${arm.replace('{subscriptionId}', '{config.subscriptionId}')}/softwareUpdateConfigurationRuns/{resources.software_update_configuration_runs.name}` });
    expect(run?.comment.join('\n')).toContain("is 'name' of software_update_configuration_runs");
    expect(run?.comment.join('\n')).toContain("an Azure Resource Manager path, where 'id' is the record's full resource path and 'name' its last segment");
    expect(g.resources.find((r) => r.path.endsWith('{scaleUnit}/nodes'))?.config.endpoint).toMatchObject({ path: expect.stringContaining('/scaleUnits/{resources.scale_units.name}/nodes') });
    // Not an ARM path: the key.
    expect(g.resources.find((r) => r.path === '/snapshots/{snapshotId}')?.config.endpoint).toMatchObject({ path: '/snapshots/{resources.snapshots.id}' });
  });
  it('a placeholder no list supplies is a setting', () => {
    const g = generate(source(openapi({ '/orgs/{org}/repos': get(list, [path('org')]) })));
    expect(g.resources[0]?.config.endpoint).toMatchObject({ path: '/orgs/{config.org}/repos' });
    expect(g.settings.org).toMatchObject({ type: 'string', description: expect.stringContaining('Path parameter {org}') });
  });
  it('a grandchild reads the grandparent\'s field from its parent, which carries it (include_from_parent)', () => {
    const g = generate(source(openapi({ '/a': get(list), '/a/{a_id}/b': get(list, [path('a_id')]), '/a/{a_id}/b/{b_id}/c': get(list, [path('a_id'), path('b_id')]) })));
    expect(g.resources.map((r) => r.name)).toEqual(['a', 'b', 'c']);
    expect(g.resources[1]?.config).toMatchObject({ include_from_parent: ['id'], endpoint: { path: '/a/{resources.a.id}/b' } });
    expect(g.resources[1]?.schema.properties?._a_id).toEqual({ type: ['integer'] });
    expect(g.resources[2]?.config.endpoint).toMatchObject({ path: '/a/{resources.b._a_id}/b/{resources.b.id}/c' });
    expect(g.skipped).toEqual([]);
  });
  it('an entity path is a child of its list, the list\'s key in the path: one page, the body is the record', () => {
    const g = generate(source(openapi({ '/users': get(list), '/users/{user_id}': get(user, [path('user_id')]) })));
    const one = g.resources.find((r) => r.path === '/users/{user_id}');
    expect(one?.config).toEqual({ name: 'users_by_user_id', primary_key: 'id', write_disposition: 'merge', endpoint: { path: '/users/{resources.users.id}', data_selector: '$', paginator: 'single_page' } });
    expect(one).toMatchObject({ kind: 'object', child: true, paginated: true, keyed: true });
  });
  it('a list is found by its singular path too (/pokemon/{name} of /pokemons)', () => {
    const g = generate(source(openapi({ '/pokemons': get(list), '/pokemon/{name}': get(user, [path('name')]) })));
    expect(g.resources.find((r) => r.path === '/pokemon/{name}')?.config.endpoint).toMatchObject({ path: '/pokemon/{resources.pokemons.name}' });
  });
  it('one object per parent record keeps the parent\'s field, its key when it has none', () => {
    const settings = { type: 'object', properties: { theme: { type: 'string' } } };
    const g = generate(source(openapi({ '/users': get(list), '/users/{user_id}/settings': get(settings, [path('user_id')]) })));
    const r = g.resources.find((x) => x.name === 'settings');
    expect(r?.config).toMatchObject({ include_from_parent: ['id'], primary_key: '_users_id', write_disposition: 'merge', endpoint: { path: '/users/{resources.users.id}/settings', paginator: 'single_page' } });
    expect(r?.schema.properties?._users_id).toEqual({ type: ['integer'] });
  });
  it('a parent field that is not a plain name ($id) is not used (dlt reads it as a JSONPath): the placeholder is a setting', () => {
    const things = { type: 'array', items: { type: 'object', properties: { $id: { type: 'string' } } } };
    const g = generate(source(openapi({ '/things': get(things), '/things/{thingId}': get(user, [path('thingId')]) })));
    expect(g.resources.find((r) => r.path === '/things/{thingId}')?.config.endpoint).toMatchObject({ path: '/things/{config.thingId}' });
  });
  it('only a list is a parent: a placeholder under one object is a setting', () => {
    const g = generate(source(openapi({ '/account': get(user), '/account/{region}': get(user, [path('region')]) })));
    expect(g.resources.find((r) => r.path === '/account/{region}')?.config.endpoint).toMatchObject({ path: '/account/{config.region}' });
  });
});
