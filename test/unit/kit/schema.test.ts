import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it, expect } from 'vitest';
import { resolveRefs, keyKind, projectSchema, loadSchemaFile } from '../../../src/kit/records/schema.js';
import { UserError } from '../../../src/kit/core/errors.js';
import type { JsonSchema } from '../../../src/kit/core/json.js';

describe('resolveRefs', () => {
  it('inlines #/definitions and #/$defs refs and drops the definitions', () => {
    const out = resolveRefs({
      type: 'object',
      definitions: { ts: { type: ['null', 'string'], format: 'date-time' } },
      $defs: { user: { type: 'object', properties: { id: { type: 'integer' }, created: { $ref: '#/definitions/ts' } } } },
      properties: {
        created_at: { $ref: '#/definitions/ts' },
        owner: { $ref: '#/$defs/user' },
        members: { type: 'array', items: { $ref: '#/$defs/user' } },
        either: { anyOf: [{ $ref: '#/definitions/ts' }, { type: 'integer' }] },
      },
    });
    const user = { type: 'object', properties: { id: { type: 'integer' }, created: { type: ['null', 'string'], format: 'date-time' } } };
    expect(out).toEqual({
      type: 'object',
      properties: {
        created_at: { type: ['null', 'string'], format: 'date-time' },
        owner: user,
        members: { type: 'array', items: user },
        either: { anyOf: [{ type: ['null', 'string'], format: 'date-time' }, { type: 'integer' }] },
      },
    });
    expect(JSON.stringify(out)).not.toContain('$ref');
  });

  it('siblings of $ref override the referenced schema', () => {
    const out = resolveRefs({ definitions: { s: { type: 'string', description: 'base' } }, properties: { a: { $ref: '#/definitions/s', description: 'mine' } } });
    expect(out.properties!.a).toEqual({ type: 'string', description: 'mine' });
  });

  it('the same definition used twice side by side is not "recursive"', () => {
    const out = resolveRefs({ definitions: { n: { type: 'integer' } }, properties: { a: { $ref: '#/definitions/n' }, b: { $ref: '#/definitions/n' } } });
    expect(out.properties).toEqual({ a: { type: 'integer' }, b: { type: 'integer' } });
  });

  it('rejects recursive refs', () => {
    const schema: JsonSchema = {
      definitions: { node: { type: 'object', properties: { child: { $ref: '#/definitions/node' } } } },
      properties: { tree: { $ref: '#/definitions/node' } },
    };
    expect(() => resolveRefs(schema)).toThrow(UserError);
    expect(() => resolveRefs(schema)).toThrow(/recursive \$ref '#\/definitions\/node'/);
    const mutual: JsonSchema = { definitions: { a: { properties: { b: { $ref: '#/definitions/b' } } }, b: { items: { $ref: '#/definitions/a' } } }, properties: { x: { $ref: '#/definitions/a' } } };
    expect(() => resolveRefs(mutual)).toThrow(/recursive/);
  });

  it('rejects non-local and dangling refs', () => {
    expect(() => resolveRefs({ properties: { a: { $ref: 'https://example.com/s.json' } } })).toThrow(/unsupported \$ref 'https:\/\/example.com\/s.json'/);
    expect(() => resolveRefs({ properties: { a: { $ref: 'other.json#/definitions/x' } } })).toThrow(UserError);
    expect(() => resolveRefs({ properties: { a: { $ref: '#/definitions/missing' } } })).toThrow(/points at nothing/);
  });

  it('a property that happens to be called "definitions" or "$defs" is kept', () => {
    const out = resolveRefs({
      type: 'object',
      definitions: { s: { type: 'string' } },
      properties: { definitions: { type: 'array', items: { $ref: '#/definitions/s' } }, $defs: { type: 'string' }, id: { type: 'integer' } },
    });
    expect(Object.keys(out.properties!)).toEqual(['definitions', '$defs', 'id']);
    expect(out.properties!.definitions).toEqual({ type: 'array', items: { type: 'string' } });
    expect(out).not.toHaveProperty('definitions');
  });

  it('does not modify its input', () => {
    const input: JsonSchema = { definitions: { s: { type: 'string' } }, properties: { a: { $ref: '#/definitions/s' } } };
    const copy = structuredClone(input);
    resolveRefs(input);
    expect(input).toEqual(copy);
  });
});

describe('loadSchemaFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kit-schema-'));
  it('reads and resolves a schema file; broken files are UserErrors naming the file', () => {
    const ok = join(dir, 'ok.json');
    writeFileSync(ok, JSON.stringify({ definitions: { s: { type: 'string' } }, properties: { a: { $ref: '#/definitions/s' } } }));
    expect(loadSchemaFile(ok)).toEqual({ properties: { a: { type: 'string' } } });
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{');
    expect(() => loadSchemaFile(bad)).toThrow(new RegExp(`schema file ${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is unreadable`));
    const arr = join(dir, 'arr.json');
    writeFileSync(arr, '[]');
    expect(() => loadSchemaFile(arr)).toThrow(/is not a JSON object/);
  });
});

describe('keyKind', () => {
  it('numbers, date-times (and dates), strings', () => {
    expect(keyKind({ type: 'integer' })).toBe('number');
    expect(keyKind({ type: ['null', 'number'] })).toBe('number');
    expect(keyKind({ type: 'string', format: 'date-time' })).toBe('datetime');
    expect(keyKind({ type: ['null', 'string'], format: 'date' })).toBe('datetime');
    expect(keyKind({ anyOf: [{ type: 'string', format: 'date-time' }, { type: 'null' }] })).toBe('datetime');
    expect(keyKind({ anyOf: [{ type: 'integer' }, { type: 'null' }] })).toBe('number');
    expect(keyKind({ type: 'string' })).toBe('string');
    expect(keyKind({})).toBe('string');
    expect(keyKind(undefined)).toBe('string');
  });
});

describe('projectSchema', () => {
  const schema: JsonSchema = {
    type: 'object',
    additionalProperties: false,
    properties: { id: { type: 'integer' }, name: { type: 'string' }, email: { type: 'string' }, age: { type: 'integer' } },
    required: ['id', 'email'],
  };
  it('keeps the selected properties in schema order, other keywords, and filters required', () => {
    const out = projectSchema(schema, new Set(['age', 'id', 'name', 'not_a_field']));
    expect(Object.keys(out.properties!)).toEqual(['id', 'name', 'age']);
    expect(out.required).toEqual(['id']);
    expect(out.additionalProperties).toBe(false);
    expect(out.type).toBe('object');
    expect(Object.keys(schema.properties!)).toHaveLength(4); // input untouched
    expect(schema.required).toEqual(['id', 'email']);
  });
  it('no required stays no required', () => {
    expect(projectSchema({ properties: { a: {} } }, new Set(['a']))).not.toHaveProperty('required');
    expect(projectSchema({ properties: { a: {} } }, new Set()).properties).toEqual({});
  });
});
