/**
 * The conformance checker must catch what it claims to catch: each case feeds it one defect and
 * expects the matching complaint (and a clean stream passes). No processes are spawned here.
 */
import { describe, expect, it } from 'vitest';
import { checkSingerOutput, type CatalogLike } from './helpers.js';

const schema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    name: { type: ['null', 'string'] },
    updatedAt: { type: ['null', 'string'], format: 'date-time' },
  },
};
const SCHEMA = { type: 'SCHEMA', stream: 's', schema, key_properties: ['id'], bookmark_properties: ['updatedAt'] };
const rec = (id: unknown, updatedAt = '2025-01-02T00:00:00Z', extra: Record<string, unknown> = {}) => ({
  type: 'RECORD', stream: 's', record: { id, name: 'n', updatedAt }, time_extracted: '2025-02-01T00:00:00.123Z', ...extra,
});
const state = (value: unknown, bookmarks: Record<string, unknown> = { s: { replication_key: 'updatedAt', replication_key_value: value } }) => ({
  type: 'STATE', value: { bookmarks },
});

function problemsOf(messages: unknown[], options = {}): string {
  try {
    checkSingerOutput(messages, options);
    return '';
  } catch (error) {
    return (error as Error).message;
  }
}

describe('checkSingerOutput', () => {
  it('accepts a well-formed stream and summarises it', () => {
    const result = checkSingerOutput([SCHEMA, rec('a', '2025-01-01T00:00:00Z'), rec('b'), state('2025-01-02T00:00:00Z')]);
    expect(result.counts).toEqual({ s: 2 });
    expect(result.finalState?.bookmarks.s?.replication_key_value).toBe('2025-01-02T00:00:00Z');
    expect(result.schemas.get('s')?.key_properties).toEqual(['id']);
  });

  it('allows records older than a bookmark that only echoes the input state (lookback windows)', () => {
    expect(problemsOf([state('2025-01-05T00:00:00Z'), SCHEMA, rec('a', '2025-01-01T00:00:00Z'), state('2025-01-05T00:00:00Z', { s: { replication_key: 'updatedAt', replication_key_value: '2025-01-05T00:00:00Z' }, x: {} })])).toBe('');
  });

  const cases: Array<[string, unknown[], RegExp, object?]> = [
    ['a line that is not an object', [SCHEMA, 'hello', state('2025-01-02T00:00:00Z')], /not a JSON object/],
    ['an unknown message type', [SCHEMA, { type: 'BATCH', stream: 's' }, state('2025-01-02T00:00:00Z')], /unknown message type/],
    ['a RECORD before its SCHEMA', [rec('a'), SCHEMA, state('2025-01-02T00:00:00Z')], /before any SCHEMA/],
    ['a key property outside the schema', [{ ...SCHEMA, key_properties: ['nope'] }, state('2025-01-02T00:00:00Z')], /key property 'nope' is not a top-level property/],
    ['a record of the wrong type', [SCHEMA, rec(42), state('2025-01-02T00:00:00Z')], /does not validate.*\/id must be string/],
    ['a bad date-time (formats are checked)', [SCHEMA, rec('a', 'yesterday'), state('2025-01-02T00:00:00Z')], /updatedAt must match format "date-time"/],
    ['a null key', [{ ...SCHEMA, schema: { ...schema, properties: { ...schema.properties, id: { type: ['null', 'string'] } } } }, rec(null), state('2025-01-02T00:00:00Z')], /key property 'id' is missing or null/],
    ['a duplicate key', [SCHEMA, rec('a'), rec('a'), state('2025-01-02T00:00:00Z')], /duplicate key \["a"\]/],
    ['time_extracted not in UTC', [SCHEMA, rec('a', undefined, { time_extracted: '2025-01-01T02:00:00+02:00' }), state('2025-01-02T00:00:00Z')], /time_extracted .* is not RFC 3339 UTC/],
    ['a STATE without bookmarks', [SCHEMA, rec('a'), { type: 'STATE', value: { s: 1 } }], /no "bookmarks" object/],
    ['a replication_key without its value', [SCHEMA, rec('a'), state(undefined, { s: { replication_key: 'updatedAt' } })], /must come together/],
    ['a bookmark on the wrong key', [SCHEMA, rec('a'), state(undefined, { s: { replication_key: 'name', replication_key_value: 'x' } })], /not the stream's replication key/],
    ['a bookmark value that is not a date-time', [SCHEMA, rec('a'), state('soon')], /is not a valid datetime/],
    ['two identical adjacent STATEs', [SCHEMA, rec('a'), state('2025-01-02T00:00:00Z'), state('2025-01-02T00:00:00Z')], /identical to the STATE just before/],
    ['no final STATE', [SCHEMA, rec('a')], /does not end with a STATE/],
    ['a bookmark ahead of records written after it', [SCHEMA, rec('a', '2025-01-03T00:00:00Z'), state('2025-01-03T00:00:00Z'), rec('b', '2025-01-01T00:00:00Z'), state('2025-01-03T00:00:00Z', { s: { replication_key: 'updatedAt', replication_key_value: '2025-01-03T00:00:00Z' }, t: {} })], /older than the bookmark/],
    ['a bookmark moving backwards', [SCHEMA, rec('a', '2025-01-03T00:00:00Z'), state('2025-01-03T00:00:00Z'), rec('b', '2025-01-04T00:00:00Z'), state('2025-01-01T00:00:00Z')], /moved backwards/],
    ['a $ref left in a SCHEMA', [{ ...SCHEMA, schema: { ...schema, definitions: { x: { type: 'string' } }, properties: { ...schema.properties, name: { $ref: '#/definitions/x' } } } }, state('2025-01-02T00:00:00Z')], /still contains a \$ref/],
    ['a SCHEMA re-sent unchanged', [SCHEMA, rec('a'), SCHEMA, state('2025-01-02T00:00:00Z')], /re-sent unchanged/],
    ['a versioned RECORD never activated', [SCHEMA, { type: 'ACTIVATE_VERSION', stream: 's', version: 1 }, rec('a', undefined, { version: 2 }), state('2025-01-02T00:00:00Z')], /version 2 is never followed by ACTIVATE_VERSION/],
  ];

  it.each(cases)('catches %s', (_name, messages, expected, options) => {
    expect(problemsOf(messages, options)).toMatch(expected);
  });

  describe('with a catalog', () => {
    const catalog: CatalogLike = {
      streams: [
        {
          tap_stream_id: 's',
          schema,
          metadata: [
            { breadcrumb: [], metadata: { 'table-key-properties': ['id'], 'replication-key': 'updatedAt' } },
            { breadcrumb: ['properties', 'id'], metadata: { inclusion: 'automatic' } },
            { breadcrumb: ['properties', 'name'], metadata: { inclusion: 'available', selected: false } },
          ],
        },
        { tap_stream_id: 'off', schema, metadata: [{ breadcrumb: [], metadata: { selected: false } }] },
      ],
    };
    const narrow = { ...SCHEMA, schema: { ...schema, properties: { id: schema.properties.id, updatedAt: schema.properties.updatedAt } } };
    const narrowRec = { type: 'RECORD', stream: 's', record: { id: 'a', updatedAt: '2025-01-02T00:00:00Z' } };

    it('accepts output that honours it', () => {
      expect(problemsOf([narrow, narrowRec, state('2025-01-02T00:00:00Z')], { catalog })).toBe('');
    });
    it('catches a deselected field', () => {
      expect(problemsOf([SCHEMA, rec('a'), state('2025-01-02T00:00:00Z')], { catalog })).toMatch(/property 'name' is deselected/);
    });
    it('catches a missing automatic field', () => {
      const noId = { ...narrow, key_properties: [], schema: { ...schema, properties: { updatedAt: schema.properties.updatedAt } } };
      expect(problemsOf([noId, state('2025-01-02T00:00:00Z')], { catalog })).toMatch(/automatic property 'id' is missing/);
    });
    it('catches a deselected stream', () => {
      expect(problemsOf([narrow, { ...narrow, stream: 'off' }, state('2025-01-02T00:00:00Z')], { catalog })).toMatch(/'off' is deselected/);
    });
    it('catches a stream outside the catalog', () => {
      expect(problemsOf([{ ...narrow, stream: 'other' }, state('2025-01-02T00:00:00Z')], { catalog })).toMatch(/'other' is not in the catalog/);
    });
  });
});
