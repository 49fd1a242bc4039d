// Required query parameters: a fixed value from the document, else a setting.
import { describe, it, expect } from 'vitest';
import { generate } from '../../../src/taps/rest/openapi/generate.js';
import { get, openapi, q, source, user } from './support.js';

describe('required query parameters', () => {
  it('take their default; a default with braces (it would read as a placeholder, which dlt refuses) is a setting', () => {
    const g = generate(source(openapi({ '/users': get({ type: 'array', items: user }, [q('kind', { type: 'string', default: 'all' }, true), q('search_type', { type: 'string', default: '{search_type}' }, true)]) })));
    expect(g.resources[0]?.config.endpoint).toMatchObject({ params: { kind: 'all', search_type: '{config.search_type}' } });
  });
  it('a name with braces is left out, the comment says so', () => {
    const g = generate(source(openapi({ '/users': get({ type: 'array', items: user }, [q('{search}', { type: 'string' }, true)]) })));
    expect(g.resources[0]?.config.endpoint.params).toBeUndefined();
    expect(g.resources[0]?.comment).toContain("required query parameter '{search}' left out (braces in its name)");
  });
});
