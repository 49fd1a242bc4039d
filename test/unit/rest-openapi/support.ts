// Small inline OpenAPI documents for the detector tests.
import type { JsonObject } from '@singer-io-compatible/tap-kit';
import type { OpenApiDocument } from '../../../src/taps/rest/openapi/document.js';
import { discoverEndpoints, type ReadEndpoint } from '../../../src/taps/rest/openapi/endpoints.js';
import { RefResolver } from '../../../src/taps/rest/openapi/refs.js';

/** A 3.0 document with these paths (and components). */
export function openapi(paths: JsonObject, components: JsonObject = {}, extra: JsonObject = {}): JsonObject {
  return { openapi: '3.0.3', info: { title: 'Test API', version: '1' }, servers: [{ url: 'https://api.example.com/v1' }], paths, components, ...extra };
}

/** A GET answering 200 with this JSON body schema, with these parameters. */
export function get(schema: unknown, parameters: unknown[] = [], headers: JsonObject = {}): JsonObject {
  return { get: { parameters, responses: { '200': { description: 'ok', headers, content: { 'application/json': { schema } } } } } };
}

export const q = (name: string, schema: JsonObject = { type: 'string' }, required = false): JsonObject => ({ name, in: 'query', schema, required });

export function source(doc: JsonObject): OpenApiDocument {
  return { label: 'openapi test.yaml', declared: '3.0.3', doc };
}

/** The GET endpoints a document has resources for (lists, single objects, untyped JSON). */
export function endpoints(doc: JsonObject): ReadEndpoint[] {
  return discoverEndpoints(doc, new RefResolver(doc), { cycles: 0 }).endpoints;
}

export const user = { type: 'object', properties: { id: { type: 'integer' }, name: { type: 'string' }, updated_at: { type: 'string', format: 'date-time' } } };
