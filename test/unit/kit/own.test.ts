// Keys an API sends are data: `__proto__`, `constructor`, `toString` go through every step of the kit
// as fields (never as JavaScript's prototype machinery). One test per place that built or read objects
// with plain `obj[key]`, `key in obj` or `obj[key] = value`.
import { describe, it, expect } from 'vitest';
import { fieldOf, hasField, setField, isInheritedName } from '../../../src/kit/core/own.js';
import { getPath } from '../../../src/kit/core/json.js';
import { projectSchema, resolveRefs } from '../../../src/kit/records/schema.js';
import { widenSchema } from '../../../src/kit/records/infer.js';
import { unwrap } from '../../../src/kit/records/wrapped.js';
import { withNumbers } from '../../../src/kit/core/jsontext.js';
import { flattenRecord, flattenSchema } from '../../../src/kit/output/flatten.js';
import { RecordConformer, createAjv } from '../../../src/kit/records/validate.js';
import { StateManager } from '../../../src/kit/run/state.js';
import type { JsonObject, JsonSchema } from '../../../src/kit/core/json.js';
import type { MessageWriter, SingerMessage } from '../../../src/kit/output/messages.js';

/** As an API sends it: JSON text parsed, `__proto__` an own key. */
const wire = <T = JsonObject>(text: string): T => JSON.parse(text) as T;
const own = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);
const PROTO_ITEM = '{"id":1,"__proto__":{"admin":true},"constructor":"c","nested":{"__proto__":5}}';

describe('own.ts', () => {
  it('fieldOf reads own fields only, setField writes `__proto__` as a field', () => {
    const o = wire<Record<string, unknown>>('{"__proto__":{"x":1},"a":1}');
    expect(fieldOf(o, 'constructor')).toBeUndefined();
    expect(fieldOf(o, '__proto__')).toEqual({ x: 1 });
    expect(hasField({}, 'toString')).toBe(false);
    const out: Record<string, unknown> = {};
    setField(out, '__proto__', { y: 2 });
    expect(own(out, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(JSON.stringify(out)).toBe('{"__proto__":{"y":2}}');
    expect(isInheritedName('constructor') && isInheritedName('__proto__') && !isInheritedName('prototype')).toBe(true);
  });
});

describe('kit steps keep such keys as fields', () => {
  it('getPath: a missing `constructor` is undefined (a cursor path, a parent field, a records path)', () => {
    const item = wire(PROTO_ITEM);
    expect(getPath({ id: 1 }, 'constructor')).toBeUndefined();
    expect(getPath({ id: 1 }, 'toString')).toBeUndefined();
    expect(getPath(item, '__proto__.admin')).toBe(true);
    expect(getPath(item, 'nested.__proto__')).toBe(5);
    expect(getPath({ a: {} }, 'a.__proto__')).toBeUndefined();
  });

  it('projectSchema and nested deselection keep a `__proto__` property', () => {
    const schema = wire<JsonSchema>('{"type":"object","properties":{"id":{"type":"integer"},"__proto__":{"type":"object","properties":{"a":{"type":"string"},"__proto__":{"type":"string"}}}}}');
    const projected = projectSchema(schema, new Set(['id', '__proto__']), [['__proto__', 'a']]);
    expect(Object.keys(projected.properties!)).toEqual(['id', '__proto__']);
    expect(Object.keys((projected.properties!['__proto__'] as JsonSchema).properties!)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(projected.properties)).toBe(Object.prototype);
  });

  it('resolveRefs keeps a property named `__proto__`', () => {
    const schema = wire<JsonSchema>('{"type":"object","definitions":{"s":{"type":"string"}},"properties":{"__proto__":{"$ref":"#/definitions/s"}}}');
    expect(JSON.stringify(resolveRefs(schema))).toBe('{"type":"object","properties":{"__proto__":{"type":"string"}}}');
  });

  it('widenSchema unites a `constructor`/`__proto__` property with the other side only', () => {
    const a: JsonSchema = { type: 'object', properties: { id: { type: 'integer' } } };
    const b = wire<JsonSchema>('{"type":"object","properties":{"constructor":{"type":"string"},"__proto__":{"type":"integer"}}}');
    const out = widenSchema(a, b);
    expect(JSON.stringify(out.properties)).toBe('{"id":{"type":"integer"},"constructor":{"type":"string"},"__proto__":{"type":"integer"}}');
  });

  it('unwrap copies metadata named `constructor` and `__proto__` beside the resource', () => {
    const out = unwrap(wire('{"project":{"id":"p"},"constructor":"meta","__proto__":{"m":1}}'), 'project');
    expect(JSON.stringify(out)).toBe('{"id":"p","constructor":"meta","__proto__":{"m":1}}');
  });

  it('withNumbers (the copy validation reads) keeps `__proto__`', () => {
    expect(JSON.stringify(withNumbers(wire('{"__proto__":{"n":1},"big":1}')))).toBe('{"__proto__":{"n":1},"big":1}');
  });

  it('flattening: `constructor` is one column, `__proto__` objects become `__proto____a` columns', () => {
    const schema = wire<JsonSchema>('{"type":"object","properties":{"id":{"type":"integer"},"constructor":{"type":"string"},"__proto__":{"type":["object","null"],"properties":{"a":{"type":"integer"}}}}}');
    const o = { maxDepth: 1, separator: '__', maxKeyLength: 255 };
    const flat = flattenSchema(schema, o, 's');
    expect(Object.keys(flat.properties!)).toEqual(['id', 'constructor', '__proto____a']);
    expect(JSON.stringify(flattenRecord(wire('{"id":1,"constructor":"c","__proto__":{"a":2}}'), flat, o))).toBe('{"id":1,"constructor":"c","__proto____a":2}');
    const top = flattenSchema(wire<JsonSchema>('{"type":"object","properties":{"__proto__":{"type":"string"}}}'), o, 's');
    expect(JSON.stringify(flattenRecord(wire('{"__proto__":"x"}'), top, o))).toBe('{"__proto__":"x"}');
  });
});

describe('RecordConformer with such field names', () => {
  const schema = wire<JsonSchema>(`{"type":"object","properties":{
    "id":{"type":"integer"},
    "constructor":{"type":["string","null"]},
    "toString":{"type":["string","null"],"format":"date-time"},
    "__proto__":{"type":["object","null"],"properties":{"admin":{"type":"boolean"}}}}}`);
  const conformer = () => new RecordConformer(createAjv(), { stream: 's', schema, primaryKey: ['id'] });

  it('a record lacking them is valid and stays without them', () => {
    const out = conformer().conform({ id: 1 });
    expect(out).toEqual({ id: 1 });
    expect(own(out, 'constructor') || own(out, 'toString')).toBe(false);
  });

  it('a record having them keeps them; extra fields are dropped without losing `__proto__`; date-times converted', () => {
    const out = conformer().conform(wire('{"id":1,"constructor":"c","toString":"2025-01-01T02:00:00+02:00","__proto__":{"admin":true},"extra":1}'));
    expect(JSON.stringify(out)).toBe('{"id":1,"constructor":"c","toString":"2025-01-01T00:00:00.000Z","__proto__":{"admin":true}}');
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
  });

  it('a wrong type in them is one error naming the field, `__proto__` included (ajv alone never checks it)', () => {
    expect(() => conformer().conform(wire('{"id":1,"constructor":[5]}'))).toThrow("field 'constructor' must be string,null (got [5])");
    expect(() => conformer().conform(wire('{"id":1,"__proto__":{"admin":"yes"}}'))).toThrow("field '__proto__.admin' must be boolean (got \"yes\")");
    expect(() => conformer().conform(wire('{"id":1,"__proto__":7}'))).toThrow("field '__proto__' must be object,null (got 7)");
  });

  it('key properties named `constructor` must be present as fields', () => {
    const keyed = new RecordConformer(createAjv(), { stream: 's', schema, primaryKey: ['constructor'] });
    expect(() => keyed.conform({ id: 1 })).toThrow("a record has no value for key property 'constructor'");
    expect(keyed.conform({ id: 1, constructor: 'k' } as unknown as JsonObject).constructor).toBe('k');
  });

  it('a deselected nested field under `__proto__` is removed, the rest kept', () => {
    const c = new RecordConformer(createAjv(), { stream: 's', schema, primaryKey: ['id'], deselected: [['__proto__', 'admin']] });
    expect(JSON.stringify(c.conform(wire('{"id":1,"__proto__":{"admin":true}}')))).toBe('{"id":1,"__proto__":{}}');
  });
});

describe('StateManager: streams named `constructor` and `__proto__` keep their bookmarks', () => {
  it('bookmarks are set, read back and written', () => {
    const messages: SingerMessage[] = [];
    const writer = { write: (m: SingerMessage) => messages.push(m) } as unknown as MessageWriter;
    const state = new StateManager(wire('{"bookmarks":{"__proto__":{"replication_key":"k","replication_key_value":1}}}'));
    state.setBookmark({ stream: 'constructor', replicationKey: 'k' } as never, 5);
    state.emit(writer);
    expect(JSON.stringify((messages[0] as { value: unknown }).value)).toBe('{"bookmarks":{"__proto__":{"replication_key":"k","replication_key_value":1},"constructor":{"replication_key":"k","replication_key_value":5}}}');
  });
});
