// Required query parameters: a fixed value from the document, else a setting.
import { describe, it, expect } from 'vitest';
import { generate } from '../../../src/taps/rest/openapi/generate.js';
import { get, openapi, q, source, user } from './support.js';

describe('required query parameters', () => {
  it('take their default; a default with braces (it would read as a placeholder, which dlt refuses) is a setting', () => {
    const g = generate(source(openapi({ '/users': get({ type: 'array', items: user }, [q('kind', { type: 'string', default: 'all' }, true), q('search_type', { type: 'string', default: '{search_type}' }, true)]) })));
    expect(g.resources[0]?.config.endpoint).toMatchObject({ params: { kind: 'all', search_type: '{config.search_type}' } });
  });
});
