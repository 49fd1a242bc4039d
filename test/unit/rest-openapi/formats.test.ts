// Resources for GETs that do not answer JSON records: XML (AWS Query actions too), scalars, text, bytes.
import { describe, it, expect } from 'vitest';
import { generate } from '../../../src/taps/rest/openapi/generate.js';
import { openapi, q, source } from './support.js';

const xml = (schema: unknown, action: string, more: unknown[] = []) => ({
  get: {
    parameters: [q('Action', { type: 'string', enum: [action] }, true), q('Version', { type: 'string', enum: ['2012-12-01'] }, true), ...more],
    responses: { '200': { description: 'ok', content: { 'text/xml': { schema } } } },
  },
});
const things = { type: 'object', properties: { Things: { type: 'array', items: { type: 'object', properties: { ThingId: { type: 'string' }, Size: { type: 'integer' } } } }, Marker: { type: 'string' } } };

describe('AWS Query actions (GET /#Action=X)', () => {
  const g = generate(source(openapi({
    '/#Action=DescribeThings': xml(things, 'DescribeThings', [q('Marker')]),
    '/#Action=DeleteThing': xml({ type: 'object', properties: { Thing: { type: 'object', properties: { ThingId: { type: 'string' } } } } }, 'DeleteThing'),
  }, {}, { info: { title: 'AWS test', version: '1', 'x-providerName': 'amazonaws.com' } })));
  it('one resource per action, named by it, the path without the fragment, the action sent as its parameter', () => {
    expect(g.resources.map((r) => [r.name, r.format, r.config.endpoint.path, r.config.endpoint.params])).toEqual([
      ['describe_things', 'xml', '/', { Action: 'DescribeThings', Version: '2012-12-01' }],
      ['delete_thing', 'xml', '/', { Action: 'DeleteThing', Version: '2012-12-01' }],
    ]);
  });
  it('a list is below the Result wrapper, its paging paths searched ($..Marker); Accept is the XML type', () => {
    expect(g.resources[0]?.config.endpoint).toMatchObject({ data_selector: '$..Things.member', headers: { Accept: 'text/xml' } });
    expect(g.resources[0]?.config.endpoint.paginator).toEqual({ type: 'cursor', cursor_param: 'Marker', cursor_path: '$..Marker' });
    // The key (ThingId) is never null.
    expect(g.resources[0]?.schema.properties).toEqual({ ThingId: { type: ['string'] }, Size: { type: ['integer', 'null'] } });
  });
  it('an action that changes state is written but not selected, and says so', () => {
    expect(g.resources[0]?.config.selected).toBeUndefined();
    expect(g.resources[1]?.config).toMatchObject({ selected: false, endpoint: { data_selector: '$..DeleteThingResult.Thing', paginator: 'single_page' } });
    expect(g.resources[1]?.comment).toContain('not selected: DeleteThing is an action that changes state, not a read (select it only knowingly)');
  });
});

describe('GETs that read no records (a 204 check, a redirect to sign in)', () => {
  const g = generate(source(openapi({
    '/user/starred/{repo}': { get: { parameters: [{ name: 'repo', in: 'path', required: true, schema: { type: 'string' } }], responses: { '204': { description: 'starred' }, '404': { description: 'not starred' } } } },
    '/oauth/authorize': { get: { responses: { '302': { description: 'to the sign-in page' } } } },
    '/repos/{repo}/tarball': { get: { parameters: [{ name: 'repo', in: 'path', required: true, schema: { type: 'string' } }], responses: { '302': { description: 'the archive' } } } },
  })));
  it('are written with selected: false (the definition lists every GET, as dlt-init-openapi does) and the comment says why', () => {
    expect(g.skipped).toEqual([]);
    expect(g.resources.map((r) => [r.name, r.config.selected, r.unselected])).toEqual([
      ['starred_by_repo', false, 'reads nothing'], ['authorize', false, 'reads nothing'], ['tarball', undefined, undefined],
    ]);
    expect(g.resources[0]?.comment).toContain('records: none (it answers only 204 No Content (a check: 204 yes, 404 no): no body, no record)');
    expect(g.resources[1]?.comment).toContain('records: none (it redirects to a sign-in page (a step of a sign-in flow): no data)');
    expect(g.resources[0]?.comment).toContain('not selected: it reads no records (written so the definition lists every GET)');
    expect(g.resources[0]?.config.endpoint).toMatchObject({ data_selector: '$', paginator: 'single_page' });
  });
});
