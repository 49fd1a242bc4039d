import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it, expect } from 'vitest';
import { buildCatalog, readCatalogFile, resolveSelection, type CatalogEntry, type Metadata, type MetadataEntry } from '../../../src/kit/catalog/catalog.js';
import { UserError } from '../../../src/kit/core/errors.js';
import type { JsonSchema } from '../../../src/kit/core/json.js';

const schema: JsonSchema = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    updated_at: { type: 'string', format: 'date-time' },
    name: { type: ['null', 'string'] },
    email: { type: ['null', 'string'] },
  },
};

function md(entry: { metadata: MetadataEntry[] }, breadcrumb: string[]): Metadata | undefined {
  return entry.metadata.find((m) => JSON.stringify(m.breadcrumb) === JSON.stringify(breadcrumb))?.metadata;
}

describe('buildCatalog', () => {
  const catalog = buildCatalog([
    { name: 'users', schema, primaryKey: ['id'], replicationKey: 'updated_at' },
    { name: 'user_tags', schema: { type: 'object', properties: { user_id: { type: 'integer' }, tag: { type: 'string' }, note: { type: 'string' } } }, primaryKey: ['user_id', 'tag'], parent: 'users' },
  ]);
  const [users, tags] = catalog.streams;

  it('lists every stream with tap_stream_id, stream, schema and key properties', () => {
    expect(catalog.streams.map((s) => s.tap_stream_id)).toEqual(['users', 'user_tags']);
    expect(users!.stream).toBe('users');
    expect(users!.schema).toEqual(schema);
    expect(users!.key_properties).toEqual(['id']);
    expect(tags!.key_properties).toEqual(['user_id', 'tag']);
  });

  it('stream metadata of an incremental stream', () => {
    const root = md(users!, []);
    expect(root).toMatchObject({
      inclusion: 'available',
      'selected-by-default': true,
      'table-key-properties': ['id'],
      'forced-replication-method': 'INCREMENTAL',
      'valid-replication-keys': ['updated_at'],
      'replication-key': 'updated_at',
    });
    expect(root).not.toHaveProperty('parent-tap-stream-id');
    expect(users!.replication_method).toBe('INCREMENTAL');
    expect(users!.replication_key).toBe('updated_at');
  });

  it('stream metadata of a full-table child stream', () => {
    const root = md(tags!, []);
    expect(root).toMatchObject({
      inclusion: 'available',
      'selected-by-default': true,
      'table-key-properties': ['user_id', 'tag'],
      'forced-replication-method': 'FULL_TABLE',
      'parent-tap-stream-id': 'users',
    });
    expect(root).not.toHaveProperty('valid-replication-keys');
    expect(root).not.toHaveProperty('replication-key');
    expect(tags!.replication_method).toBe('FULL_TABLE');
    expect(tags!.replication_key).toBeUndefined();
  });

  it('field inclusion: automatic for key and replication-key fields, available otherwise', () => {
    expect(md(users!, ['properties', 'id'])?.inclusion).toBe('automatic');
    expect(md(users!, ['properties', 'updated_at'])?.inclusion).toBe('automatic');
    expect(md(users!, ['properties', 'name'])?.inclusion).toBe('available');
    expect(md(users!, ['properties', 'email'])?.inclusion).toBe('available');
    expect(md(tags!, ['properties', 'user_id'])?.inclusion).toBe('automatic');
    expect(md(tags!, ['properties', 'tag'])?.inclusion).toBe('automatic');
    expect(md(tags!, ['properties', 'note'])?.inclusion).toBe('available');
    for (const m of users!.metadata.filter((e) => e.breadcrumb.length > 0)) expect(m.metadata['selected-by-default']).toBe(true);
    // one entry per field plus the stream entry
    expect(users!.metadata).toHaveLength(1 + Object.keys(schema.properties!).length);
  });

  it('a discovered catalog selects everything', () => {
    const sel = resolveSelection(users!);
    expect(sel.selected).toBe(true);
    expect([...sel.fields].sort()).toEqual(['email', 'id', 'name', 'updated_at']);
    expect(sel.replicationMethod).toBe('INCREMENTAL');
  });
});

function entry(root: Metadata | undefined, fields: Record<string, Metadata | undefined>): CatalogEntry {
  const metadata: MetadataEntry[] = [];
  if (root) metadata.push({ breadcrumb: [], metadata: root });
  for (const [name, m] of Object.entries(fields)) if (m) metadata.push({ breadcrumb: ['properties', name], metadata: m });
  return { tap_stream_id: 'users', stream: 'users', schema, metadata };
}

describe('resolveSelection (Meltano SDK rules)', () => {
  it('unsupported fields are never selected, even when selected: true', () => {
    const sel = resolveSelection(entry({ selected: true }, { email: { inclusion: 'unsupported', selected: true } }));
    expect(sel.selected).toBe(true);
    expect(sel.fields.has('email')).toBe(false);
    expect(sel.fields.has('name')).toBe(true);
  });

  it('automatic fields are selected whenever the stream is, even when selected: false', () => {
    const sel = resolveSelection(entry({ selected: true }, { id: { inclusion: 'automatic', selected: false }, name: { inclusion: 'available', selected: false } }));
    expect(sel.fields.has('id')).toBe(true);
    expect(sel.fields.has('name')).toBe(false);
  });

  it('explicit selected wins over selected-by-default', () => {
    const sel = resolveSelection(entry({ selected: true }, {
      name: { inclusion: 'available', selected: false, 'selected-by-default': true },
      email: { inclusion: 'available', selected: true, 'selected-by-default': false },
    }));
    expect(sel.fields.has('name')).toBe(false);
    expect(sel.fields.has('email')).toBe(true);
  });

  it('selected-by-default applies when selected is absent', () => {
    const sel = resolveSelection(entry({ selected: true }, {
      name: { inclusion: 'available', 'selected-by-default': false },
      email: { inclusion: 'available', 'selected-by-default': true },
    }));
    expect(sel.fields.has('name')).toBe(false);
    expect(sel.fields.has('email')).toBe(true);
  });

  it('a field with neither takes the parent (stream) value', () => {
    const sel = resolveSelection(entry({ selected: true }, { name: { inclusion: 'available' } }));
    expect(sel.fields.has('name')).toBe(true);
    // stream selected only by default: fields follow it
    const byDefault = resolveSelection(entry({ 'selected-by-default': true }, { name: { inclusion: 'available' } }));
    expect(byDefault.selected).toBe(true);
    expect(byDefault.fields.has('name')).toBe(true);
  });

  it('a stream with selected: false is deselected along with every field, automatic ones included', () => {
    const sel = resolveSelection(entry({ selected: false, 'selected-by-default': true }, {
      id: { inclusion: 'automatic' },
      name: { inclusion: 'available', selected: true },
    }));
    expect(sel.selected).toBe(false);
    expect(sel.fields.size).toBe(0);
  });

  it('a stream with selected-by-default: false and no selected is not selected', () => {
    const sel = resolveSelection(entry({ 'selected-by-default': false }, { id: { inclusion: 'automatic' } }));
    expect(sel.selected).toBe(false);
    expect(sel.fields.size).toBe(0);
  });

  it('no metadata at all means selected, every field', () => {
    const sel = resolveSelection({ tap_stream_id: 'users', stream: 'users', schema, metadata: [] });
    expect(sel.selected).toBe(true);
    expect([...sel.fields].sort()).toEqual(['email', 'id', 'name', 'updated_at']);
    expect(sel.replicationMethod).toBeUndefined();
  });

  it('fields without metadata follow the stream', () => {
    const sel = resolveSelection(entry({ selected: true }, { email: { selected: false } }));
    expect([...sel.fields].sort()).toEqual(['id', 'name', 'updated_at']);
  });

  it('replication-method from stream metadata, else from the entry', () => {
    expect(resolveSelection(entry({ selected: true, 'replication-method': 'FULL_TABLE' }, {})).replicationMethod).toBe('FULL_TABLE');
    const e = entry({ selected: true }, {});
    e.replication_method = 'INCREMENTAL';
    expect(resolveSelection(e).replicationMethod).toBe('INCREMENTAL');
    e.replication_method = 'LOG_BASED';
    expect(resolveSelection(e).replicationMethod).toBeUndefined();
  });
});

describe('readCatalogFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kit-catalog-'));
  const file = (name: string, text: string) => {
    const p = join(dir, name);
    writeFileSync(p, text);
    return p;
  };

  function failure(path: string, flag = '--catalog'): UserError {
    try {
      readCatalogFile(path, flag);
    } catch (error) {
      expect(error).toBeInstanceOf(UserError);
      return error as UserError;
    }
    throw new Error('expected readCatalogFile to fail');
  }

  it('reads a valid catalog', () => {
    const p = file('ok.json', JSON.stringify(buildCatalog([{ name: 'users', schema, primaryKey: ['id'] }])));
    const cat = readCatalogFile(p, '--catalog');
    expect(cat.streams[0]!.tap_stream_id).toBe('users');
  });

  it('missing file: one line naming the flag and file', () => {
    const p = join(dir, 'nope.json');
    const e = failure(p);
    expect(e.message).toContain(`--catalog ${p}`);
    expect(e.message).toContain(': not found');
    expect(e.message).not.toContain('\n');
  });

  it('bad JSON', () => {
    const p = file('bad.json', '{"streams": [');
    const e = failure(p, '--properties');
    expect(e.message).toContain(`--properties ${p}`);
    expect(e.message).toMatch(/not valid JSON/);
    expect(e.message).not.toContain('\n');
  });

  it('no streams array', () => {
    for (const [name, text] of [['nostreams.json', '{"foo": 1}'], ['streamsobj.json', '{"streams": {}}'], ['array.json', '[]']] as const) {
      const p = file(name, text);
      const e = failure(p);
      expect(e.message).toContain(p);
      expect(e.message).toMatch(/"streams" array/);
      expect(e.message).not.toContain('\n');
    }
  });

  it('bad stream and metadata entries', () => {
    const cases: Array<[string, unknown, RegExp]> = [
      ['notobj.json', { streams: [42] }, /streams\[0\] is not an object/],
      ['noid.json', { streams: [{ stream: 'x' }] }, /streams\[0\] has no "tap_stream_id"/],
      ['schema.json', { streams: [{ tap_stream_id: 'x', schema: [] }] }, /"schema" must be an object/],
      ['mdobj.json', { streams: [{ tap_stream_id: 'x', metadata: {} }] }, /"metadata" must be an array/],
      ['mdentry.json', { streams: [{ tap_stream_id: 'ok', metadata: [] }, { tap_stream_id: 'x', metadata: [{ breadcrumb: [], metadata: { selected: true } }, { breadcrumb: 'properties', metadata: {} }] }] }, /streams\[1\] \("x"\): every metadata entry needs "breadcrumb"/],
      ['mdnometa.json', { streams: [{ tap_stream_id: 'x', metadata: [{ breadcrumb: [] }] }] }, /every metadata entry needs/],
    ];
    for (const [name, value, re] of cases) {
      const p = file(name, JSON.stringify(value));
      const e = failure(p);
      expect(e.message).toMatch(re);
      expect(e.message).toContain(`--catalog ${p}`);
      expect(e.message).not.toContain('\n');
    }
  });
});

describe('resolveSelection: the SDK rules at the edges', () => {
  const schema = { type: 'object', properties: { id: { type: 'string' }, name: { type: 'string' } } };
  const entry = (metadata: Array<{ breadcrumb: string[]; metadata: Record<string, unknown> }>) =>
    ({ tap_stream_id: 's', stream: 's', schema, metadata }) as Parameters<typeof resolveSelection>[0];
  it('no metadata at all: the stream and every field are selected', () => {
    const sel = resolveSelection(entry([]));
    expect(sel.selected).toBe(true);
    expect([...sel.fields].sort()).toEqual(['id', 'name']);
  });
  it('a root entry that says nothing: not selected', () => {
    expect(resolveSelection(entry([{ breadcrumb: [], metadata: { inclusion: 'available' } }])).selected).toBe(false);
  });
  it('metadata without a root entry: not selected', () => {
    expect(resolveSelection(entry([{ breadcrumb: ['properties', 'name'], metadata: { selected: true } }])).selected).toBe(false);
  });
  it('a field with no entry follows its selected stream', () => {
    const sel = resolveSelection(entry([{ breadcrumb: [], metadata: { selected: true } }]));
    expect([...sel.fields].sort()).toEqual(['id', 'name']);
  });
});
