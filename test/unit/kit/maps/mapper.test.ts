import { createHash } from 'node:crypto';
import { describe, it, expect } from 'vitest';
import { compileStreamMaps, globToRegExp } from '../../../../src/kit/output/maps/mapper.js';
import { tapStreamMaps } from '../../../../src/kit/output/maps/tap-maps.js';
import type { JsonSchema } from '../../../../src/kit/core/json.js';

const schema: JsonSchema = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    email: { type: ['null', 'string'], format: 'email' },
    name: { type: ['null', 'string'] },
    createdAt: { type: ['null', 'string'], format: 'date-time' },
    count: { type: ['null', 'string'] },
  },
  required: ['id', 'email'],
};
const record = { id: 1, email: 'A@x.io', name: 'Ann', createdAt: '2024-01-01T00:00:00Z', count: '12' };

async function outputs(maps: unknown, stream = 'users', extra: Record<string, unknown> = {}) {
  const mapper = await compileStreamMaps({ stream_maps: maps, ...extra });
  if (!mapper) throw new Error('no mapper');
  return mapper.outputs(stream, schema, ['id']);
}
async function error(maps: unknown, stream = 'users'): Promise<string> {
  try {
    await outputs(maps, stream);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('no error');
}

describe('stream_maps (the SDK semantics)', () => {
  it('no stream_maps: no mapper at all (the fast path)', async () => {
    expect(await compileStreamMaps({})).toBeUndefined();
  });

  it('computes, replaces and removes properties; the schema follows with inferred, nullable types', async () => {
    const [out] = await outputs({ users: { email_hash: 'md5(email)', email: null, count: 'int(count)', created: 'createdAt', flag: 'id > 0', label: "'x'" } });
    expect(out!.name).toBe('users');
    expect(Object.keys(out!.schema.properties!)).toEqual(['id', 'name', 'createdAt', 'count', 'email_hash', 'created', 'flag', 'label']);
    expect(out!.schema.properties!.email_hash).toEqual({ type: ['string', 'null'] });
    expect(out!.schema.properties!.count).toEqual({ type: ['integer', 'null'] });
    expect(out!.schema.properties!.created).toEqual({ type: ['null', 'string'], format: 'date-time' });
    expect(out!.schema.properties!.flag).toEqual({ type: ['boolean', 'null'] });
    expect(out!.schema.required).toEqual(['id']);
    expect(out!.record(record)).toEqual({ id: 1, name: 'Ann', createdAt: '2024-01-01T00:00:00Z', count: 12, email_hash: createHash('md5').update('A@x.io').digest('hex'), created: '2024-01-01T00:00:00Z', flag: true, label: 'x' });
  });

  it('self is the current value; config is stream_map_config; __stream_name__ is the alias', async () => {
    const [out] = await outputs({ users: { __alias__: 'people', name: "self.upper() + config['suffix']", s: '__stream_name__', o: '__original_stream_name__' } }, 'users', { stream_map_config: { suffix: '!' } });
    expect(out!.name).toBe('people');
    expect(out!.record(record)).toMatchObject({ name: 'ANN!', s: 'people', o: 'users' });
  });

  it('__filter__ drops records whose expression is falsy', async () => {
    const [out] = await outputs({ users: { __filter__: "email.endswith('.io')" } });
    expect(out!.record(record)).not.toBeNull();
    expect(out!.record({ ...record, email: 'b@y.com' })).toBeNull();
  });

  it('null drops a stream; a top-level __else__: null drops every stream not named', async () => {
    expect(await outputs({ users: null })).toEqual([]);
    expect(await outputs({ users: '__NULL__' })).toEqual([]);
    expect(await outputs({ other: {}, __else__: null })).toEqual([]);
    expect((await outputs({ users: {}, __else__: null })).map((o) => o.name)).toEqual(['users']);
  });

  it('__else__: null keeps only the key properties and the mapped ones', async () => {
    const [out] = await outputs({ users: { email_hash: 'sha256(email)', __else__: null } });
    expect(Object.keys(out!.schema.properties!)).toEqual(['id', 'email_hash']);
    expect(Object.keys(out!.record(record)!)).toEqual(['id', 'email_hash']);
  });

  it('__source__ splits a stream into several; __key_properties__ sets new keys', async () => {
    const outs = await outputs({ users: { __filter__: 'id < 10' }, users_big: { __source__: 'users', __filter__: 'id >= 10', __key_properties__: ['email'] } });
    expect(outs.map((o) => [o.name, o.keyProperties])).toEqual([['users', ['id']], ['users_big', ['email']]]);
    expect(outs[0]!.record(record)).not.toBeNull();
    expect(outs[1]!.record(record)).toBeNull();
  });

  it('globs: a map for every matching stream, __alias__ as an expression of __stream_name__', async () => {
    const [out] = await outputs({ 'user*': { __alias__: "__stream_name__ + '_v2'" } });
    expect(out!.name).toBe('users_v2');
    const [literal] = await outputs({ users: { __alias__: 'customers-v2' } });
    expect(literal!.name).toBe('customers-v2');
    expect(await outputs({ 'orders_*': null })).toHaveLength(1);
    expect(globToRegExp('a[!b]?*').test('acxyz')).toBe(true);
  });

  it('fake: seeded by faker_config, so runs repeat', async () => {
    const run = async () => (await outputs({ users: { fake_name: 'fake.name()', fake_email: 'fake.email()' } }, 'users', { faker_config: { seed: 42, locale: 'de_DE' } }))[0]!.record(record);
    const a = await run();
    const b = await run();
    expect(a).toEqual(b);
    expect(a!.fake_email).toMatch(/@/);
  });

  it('mistakes are one line naming the stream, the property and the column, at compile time', async () => {
    expect(await error({ users: { h: 'md5(email' } })).toBe('config: stream_maps.users.h: expected \')\' but found the end of the expression at column 10 of "md5(email"');
    expect(await error({ users: { h: 'email.__class__' } })).toBe("config: stream_maps.users.h: access to attribute '__class__' is not allowed at column 7 of \"email.__class__\"");
    expect(await error({ users: { id: null } })).toMatch(/removing key property 'id' of stream 'users' is not allowed/);
    expect(await error({ users: { __key_properties__: ['nope'] } })).toMatch(/key property 'nope' of stream 'users' is not a property/);
    expect(await error({ users: { __aliass__: 'x' } })).toMatch(/unknown option '__aliass__'/);
    expect(await error({ users: 'md5(x)' })).toMatch(/expected a map \(an object\) or null/);
    expect(await error({ users: { x: 3 } })).toMatch(/expected an expression \(a string\) or null, got 3/);
    expect(await error({ __foo__: null })).toMatch(/not a stream name nor an option/);
    expect(await error({ users: { x: 'nope.lower()' } })).toBe("config: stream_maps.users.x: name 'nope' is not defined: not a property of stream 'users' (id, email, name, createdAt, count) nor a variable or function of map expressions (in \"nope.lower()\")");
    expect(await error({ users: { __filter__: 'missing > 1' } })).toMatch(/stream_maps.users.__filter__: name 'missing' is not defined/);
    // Comprehension variables, builtins and the SDK's variables are names too.
    expect(await outputs({ users: { x: "[c.upper() for c in name] + [str(len(record)), config.get('a', ''), __stream_name__]" } })).toHaveLength(1);
  });

  it('arithmetic gets a numeric type: integer on integers, number with a float or /', async () => {
    const [out] = await outputs({ users: { a: 'id + 1', b: 'id * 2.5', c: 'id / 2', d: 'id ** 2', e: 'id ** id', f: "int(count) // 3" } });
    const types = Object.fromEntries(['a', 'b', 'c', 'd', 'e', 'f'].map((k) => [k, out!.schema.properties![k]!.type]));
    expect(types).toEqual({ a: ['integer', 'null'], b: ['number', 'null'], c: ['number', 'null'], d: ['integer', 'null'], e: ['number', 'null'], f: ['integer', 'null'] });
  });

  it('the budget is per record: records of moderate work pass (more than one budget in all), one record of too much work fails', async () => {
    const [out] = await outputs({ users: { n: 'len([c for c in name])' } });
    const moderate = { ...record, name: 'x'.repeat(100_000) };
    for (let i = 0; i < 6; i++) expect(out!.record(moderate)!.n).toBe(100_000);
    expect(() => out!.record({ ...record, name: 'x'.repeat(400_000) })).toThrow("stream 'users': stream_maps.users.n: the expressions take more than 1,000,000 steps for one record (the limit of map expressions) (evaluating \"len([c for c in name])\")");
  });

  it('integers beyond 2^53 and any key reach the record as data', async () => {
    const [out] = await outputs({ users: { big: 'id * 10**10', d: "{'__proto__': id, 'constructor': 1}" } });
    const r = out!.record({ ...record, id: 12345678901 })!;
    expect(r.big).toBe(123456789010000000000n);
    expect(JSON.stringify(r.d)).toBe('{"__proto__":12345678901,"constructor":1}');
    expect(Object.keys(out!.schema.properties!.d!.properties!)).toEqual(['__proto__', 'constructor']);
  });

  it('errors while mapping a record name the stream and the expression', async () => {
    const [out] = await outputs({ users: { h: 'md5(name)' } });
    expect(() => out!.record({ ...record, name: null })).toThrow("stream 'users': stream_maps.users.h: TypeError: md5() needs a string, got NoneType");
  });
});

describe('maps declared by a tap (typed functions, same mechanism)', () => {
  it('computes, removes, filters and renames', () => {
    const mapper = tapStreamMaps({
      users: {
        alias: 'people',
        filter: (r) => r.id !== 2,
        properties: { domain: { schema: { type: 'string' }, value: (r) => String(r.email).split('@')[1] ?? '' }, name: null },
      },
    });
    const [out] = mapper.outputs('users', schema, ['id']);
    expect(out!.name).toBe('people');
    expect(out!.schema.properties!.domain).toEqual({ type: 'string' });
    expect(out!.schema.properties!.name).toBeUndefined();
    expect(out!.record(record)).toMatchObject({ id: 1, domain: 'x.io' });
    expect(out!.record({ ...record, id: 2 })).toBeNull();
  });
});
