// OpenAPI schemas as Singer JSON Schemas: $ref (cycles cut), allOf, oneOf/anyOf, nullable, 3.1 type arrays, formats, enums.
import { describe, it, expect } from 'vitest';
import { convertSchema } from '../../../src/taps/rest/openapi/schema.js';
import { RefResolver } from '../../../src/taps/rest/openapi/refs.js';

const convert = (schema: unknown, schemas: Record<string, unknown> = {}) => {
  const doc = { components: { schemas } };
  const stats = { cycles: 0 };
  return { schema: convertSchema(schema, new RefResolver(doc), stats), stats };
};

describe('schema conversion', () => {
  it('resolves $ref, and cuts a cycle to an object where it closes', () => {
    const { schema, stats } = convert({ $ref: '#/components/schemas/Node' }, {
      Node: { type: 'object', properties: { id: { type: 'integer' }, parent: { $ref: '#/components/schemas/Node' }, children: { type: 'array', items: { $ref: '#/components/schemas/Node' } } } },
    });
    expect(schema.properties?.id).toEqual({ type: ['integer', 'null'] });
    expect(schema.properties?.parent).toEqual({ type: ['object', 'null'] });
    expect(schema.properties?.children?.items).toEqual({ type: ['object', 'null'] });
    expect(stats.cycles).toBe(2);
  });
  it('past the depth or reference bounds a schema is any value, not an object (an enum string four references down)', () => {
    const schemas: Record<string, unknown> = { Kind: { type: 'string', enum: ['a', 'b'] } };
    for (let i = 0; i < 6; i++) schemas[`L${i}`] = { type: 'object', properties: { next: { $ref: i === 5 ? '#/components/schemas/Kind' : `#/components/schemas/L${i + 1}` } } };
    let node = convert({ $ref: '#/components/schemas/L0' }, schemas).schema;
    for (let i = 0; i < 4; i++) node = node.properties?.next ?? {};
    expect(node).toEqual({});
  });
  it('a JSON Pointer with escapes', () => {
    const doc = { paths: { '/a/b': { x: { type: 'integer' } } } };
    expect(convertSchema({ $ref: '#/paths/~1a~1b/x' }, new RefResolver(doc))).toEqual({ type: ['integer', 'null'] });
  });
  it('merges allOf parts (properties of each, types intersected)', () => {
    const { schema } = convert({ allOf: [{ $ref: '#/components/schemas/Base' }, { type: 'object', properties: { extra: { type: 'string' } } }] }, {
      Base: { type: 'object', properties: { id: { type: 'string' }, n: { type: 'number' } } },
    });
    expect(Object.keys(schema.properties ?? {})).toEqual(['id', 'n', 'extra']);
    expect(schema.type).toEqual(['object', 'null']);
  });
  it('widens oneOf/anyOf: types united, object properties united, enums dropped', () => {
    expect(convert({ oneOf: [{ type: 'string' }, { type: 'integer' }] }).schema.type).toEqual(expect.arrayContaining(['string', 'integer', 'null']));
    const objects = convert({ anyOf: [{ type: 'object', properties: { a: { type: 'string' } } }, { type: 'object', properties: { b: { type: 'integer' } } }] }).schema;
    expect(Object.keys(objects.properties ?? {}).sort()).toEqual(['a', 'b']);
    expect(convert({ oneOf: [{ type: 'string', enum: ['a'] }, { type: 'string', enum: ['b'] }] }).schema.enum).toBeUndefined();
    expect(convert({ oneOf: [{ type: 'string' }, {}] }).schema).toEqual({});
  });
  it('nullable (3.0) and type arrays (3.1); every field may be null', () => {
    expect(convert({ type: 'string', nullable: true }).schema).toEqual({ type: ['string', 'null'] });
    expect(convert({ type: ['integer', 'null'] }).schema).toEqual({ type: ['integer', 'null'] });
    expect(convert({ type: ['string', 'integer'] }).schema).toEqual({ type: ['string', 'integer', 'null'] });
  });
  it('keeps date-time, date and time formats, int32/int64 as integers, drops the others', () => {
    expect(convert({ type: 'string', format: 'date-time' }).schema).toEqual({ type: ['string', 'null'], format: 'date-time' });
    expect(convert({ type: 'string', format: 'date' }).schema.format).toBe('date');
    expect(convert({ type: 'string', format: 'email' }).schema.format).toBeUndefined();
    expect(convert({ type: 'number', format: 'int64' }).schema.type).toEqual(['integer', 'null']);
    expect(convert({ type: 'integer', format: 'int64' }).schema).toEqual({ type: ['integer', 'null'] });
  });
  it('keeps enums (with null), and a type from an enum when none is declared', () => {
    expect(convert({ type: 'string', enum: ['open', 'closed'] }).schema).toEqual({ type: ['string', 'null'], enum: ['open', 'closed', null] });
    expect(convert({ enum: [1, 2] }).schema).toEqual({ type: ['integer', 'null'], enum: [1, 2, null] });
  });
  it('leaves writeOnly properties out, gives a typeless schema no type, and arrays their items', () => {
    const { schema } = convert({ type: 'object', properties: { password: { type: 'string', writeOnly: true }, anything: {}, tags: { type: 'array', items: { type: 'string' } } } });
    expect(Object.keys(schema.properties ?? {})).toEqual(['anything', 'tags']);
    expect(schema.properties?.anything).toEqual({});
    expect(schema.properties?.tags).toEqual({ type: ['array', 'null'], items: { type: ['string', 'null'] } });
  });
});
