import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it, expect } from 'vitest';
import { readStateFile, comparable, StateManager, type ProgressOptions, type StateValue } from '../../../src/kit/run/state.js';
import { UserError } from '../../../src/kit/core/errors.js';
import type { MessageWriter, SingerMessage } from '../../../src/kit/output/messages.js';

const dir = mkdtempSync(join(tmpdir(), 'kit-state-'));
function file(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

function fakeWriter(): { writer: MessageWriter; messages: SingerMessage[] } {
  const messages: SingerMessage[] = [];
  const writer = { write: (m: SingerMessage) => messages.push(m) } as unknown as MessageWriter;
  return { writer, messages };
}

function manager(initial?: StateValue): { state: StateManager; warnings: string[] } {
  const warnings: string[] = [];
  return { state: new StateManager(initial, (m) => warnings.push(m)), warnings };
}

const dt = (o: Partial<ProgressOptions> = {}): ProgressOptions => ({ stream: 'users', replicationKey: 'updated_at', kind: 'datetime', sorted: false, ...o });

describe('readStateFile', () => {
  const value = { bookmarks: { users: { replication_key: 'updated_at', replication_key_value: '2024-01-01T00:00:00Z' } } };

  it('reads a plain state value', () => {
    expect(readStateFile(file('plain.json', JSON.stringify(value)))).toEqual(value);
  });

  it('reads a STATE message', () => {
    expect(readStateFile(file('msg.json', JSON.stringify({ type: 'STATE', value })))).toEqual(value);
  });

  it("reads Meltano's {singer_state: ...}", () => {
    expect(readStateFile(file('meltano.json', JSON.stringify({ singer_state: value })))).toEqual(value);
  });

  it('an empty (or blank) file means no state', () => {
    expect(readStateFile(file('empty.json', ''))).toEqual({ bookmarks: {} });
    expect(readStateFile(file('blank.json', ' \n\t'))).toEqual({ bookmarks: {} });
  });

  it('a state without bookmarks gets an empty bookmarks object, other keys kept', () => {
    expect(readStateFile(file('nobm.json', '{"currently_syncing": null}'))).toEqual({ currently_syncing: null, bookmarks: {} });
  });

  it('bad JSON is a one-line UserError naming the file', () => {
    const p = file('bad.json', '{"bookmarks": ');
    expect(() => readStateFile(p)).toThrow(UserError);
    expect(() => readStateFile(p)).toThrow(new RegExp(`--state ${p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: not valid JSON`));
  });

  it('a missing file, a non-object and non-object bookmarks are UserErrors', () => {
    expect(() => readStateFile(join(dir, 'missing.json'))).toThrow(/--state .*missing\.json: not found/);
    expect(() => readStateFile(file('arr.json', '[1]'))).toThrow(UserError);
    expect(() => readStateFile(file('bmarr.json', '{"bookmarks": []}'))).toThrow(/"bookmarks" must be an object/);
  });
});

describe('comparable', () => {
  it('dates as instants, numbers as numbers, strings as strings', () => {
    expect(comparable('2024-01-01T02:00:00+02:00', 'datetime')).toBe(comparable('2024-01-01T00:00:00Z', 'datetime'));
    expect(comparable('9', 'number')).toBe(9);
    expect((comparable('9', 'number') as number) < (comparable('12345', 'number') as number)).toBe(true);
    expect(comparable('b', 'string')).toBe('b');
    expect(comparable(null, 'number')).toBeUndefined();
    expect(comparable('', 'datetime')).toBeUndefined();
    expect(comparable('abc', 'number')).toBeUndefined();
  });

  it('a naive timestamp is UTC (as the record conformer reads it), whatever the local time zone', () => {
    const tz = process.env.TZ;
    process.env.TZ = 'Asia/Tokyo';
    try {
      expect(comparable('2024-01-01T00:00:00', 'datetime')).toBe(Date.UTC(2024, 0, 1));
      expect(comparable('2024-01-01 12:30:00', 'datetime')).toBe(Date.UTC(2024, 0, 1, 12, 30));
    } finally {
      if (tz === undefined) delete process.env.TZ;
      else process.env.TZ = tz;
    }
  });
});

describe('StreamProgress: where to start', () => {
  it('no bookmark, no start_date: everything is new', () => {
    const p = manager().state.progress(dt());
    expect(p.start).toBeUndefined();
    expect(p.isNew('1970-01-01T00:00:00Z')).toBe(true);
  });

  it('start_date when there is no bookmark', () => {
    const p = manager().state.progress(dt({ startDate: '2024-01-01T00:00:00Z' }));
    expect(p.start).toBe('2024-01-01T00:00:00Z');
  });

  it('max(bookmark, start_date), compared as instants not strings', () => {
    // bookmark 2024-01-01T01:00+02:00 is 2023-12-31T23:00Z, earlier than start_date (string order says the opposite)
    const s1 = manager({ bookmarks: { users: { replication_key: 'updated_at', replication_key_value: '2024-01-01T01:00:00+02:00' } } }).state;
    expect(s1.progress(dt({ startDate: '2024-01-01T00:00:00Z' })).start).toBe('2024-01-01T00:00:00Z');
    // bookmark 2024-01-01T00:30-02:00 is 02:30Z, later than start_date 01:00Z (string order says the opposite)
    const s2 = manager({ bookmarks: { users: { replication_key: 'updated_at', replication_key_value: '2024-01-01T00:30:00-02:00' } } }).state;
    expect(s2.progress(dt({ startDate: '2024-01-01T01:00:00Z' })).start).toBe('2024-01-01T00:30:00-02:00');
  });

  it('a bookmark equal to start_date is used', () => {
    const s = manager({ bookmarks: { users: { replication_key: 'updated_at', replication_key_value: '2024-01-01T02:00:00+02:00' } } }).state;
    expect(s.progress(dt({ startDate: '2024-01-01T00:00:00Z' })).start).toBe('2024-01-01T02:00:00+02:00');
  });

  it('isNew is >= with instants: the boundary record is sent again, older ones skipped', () => {
    const s = manager({ bookmarks: { users: { replication_key: 'updated_at', replication_key_value: '2024-01-01T00:00:00Z' } } }).state;
    const p = s.progress(dt());
    expect(p.isNew('2024-01-01T00:00:00Z')).toBe(true);
    expect(p.isNew('2024-01-01T02:00:00+02:00')).toBe(true); // same instant
    expect(p.isNew('2024-01-01T01:59:59+02:00')).toBe(false);
    expect(p.isNew('2023-12-31T23:59:59Z')).toBe(false);
    expect(p.isNew('2024-01-01T00:00:01Z')).toBe(true);
    expect(p.isNew(null)).toBe(true); // no key value: cannot tell, keep it
  });

  it('numeric keys compare as numbers ("9" < "12345")', () => {
    const s = manager({ bookmarks: { events: { replication_key: 'seq', replication_key_value: '9' } } }).state;
    const p = s.progress({ stream: 'events', replicationKey: 'seq', kind: 'number', sorted: true });
    expect(p.start).toBe('9');
    expect(p.isNew(12345)).toBe(true);
    expect(p.isNew('12345')).toBe(true);
    expect(p.isNew(9)).toBe(true);
    expect(p.isNew(8)).toBe(false);
    expect(p.isNew('10')).toBe(true);
    p.observe(12345);
    p.observe(12346);
    p.finish();
    expect(s.value.bookmarks.events).toEqual({ replication_key: 'seq', replication_key_value: 12346 });
  });

  it('a numeric bookmark of 12345 does not re-send 9', () => {
    const s = manager({ bookmarks: { events: { replication_key: 'seq', replication_key_value: 12345 } } }).state;
    const p = s.progress({ stream: 'events', replicationKey: 'seq', kind: 'number', sorted: false });
    expect(p.isNew('9')).toBe(false);
    expect(p.isNew(99999)).toBe(true);
  });

  it('unsorted numeric max is found numerically', () => {
    const s = manager().state;
    const p = s.progress({ stream: 'events', replicationKey: 'seq', kind: 'number', sorted: false });
    for (const v of ['9', '12345', '100']) p.observe(v);
    p.finish();
    expect(s.value.bookmarks.events!.replication_key_value).toBe('12345');
  });
});

describe('StreamProgress: what is committed', () => {
  it('sorted: checkpoint advances only over records written (observed)', () => {
    const { state } = manager();
    const p = state.progress(dt({ sorted: true }));
    p.checkpoint();
    expect(state.value.bookmarks.users).toBeUndefined();
    expect(p.isNew('2024-01-01T00:00:00Z')).toBe(true);
    p.observe('2024-01-01T00:00:00Z');
    p.checkpoint();
    expect(state.value.bookmarks.users).toEqual({ replication_key: 'updated_at', replication_key_value: '2024-01-01T00:00:00Z' });
    // a record checked but not yet written does not move the bookmark
    expect(p.isNew('2024-01-02T00:00:00Z')).toBe(true);
    p.checkpoint();
    expect(state.value.bookmarks.users!.replication_key_value).toBe('2024-01-01T00:00:00Z');
    p.observe('2024-01-02T00:00:00Z');
    p.checkpoint();
    expect(state.value.bookmarks.users!.replication_key_value).toBe('2024-01-02T00:00:00Z');
  });

  it('sorted: an out-of-order record stops mid-stream checkpoints and warns once; finish commits the max', () => {
    const { state, warnings } = manager();
    const p = state.progress(dt({ sorted: true }));
    p.observe('2024-01-01T00:00:00Z');
    p.checkpoint();
    p.observe('2024-01-03T00:00:00Z');
    p.observe('2024-01-02T00:00:00Z'); // out of order
    p.checkpoint();
    expect(state.value.bookmarks.users!.replication_key_value).toBe('2024-01-01T00:00:00Z');
    p.observe('2024-01-05T00:00:00Z');
    p.observe('2024-01-04T00:00:00Z'); // out of order again: no second warning
    p.checkpoint();
    expect(state.value.bookmarks.users!.replication_key_value).toBe('2024-01-01T00:00:00Z');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/users.*not sorted/);
    p.finish();
    expect(state.value.bookmarks.users!.replication_key_value).toBe('2024-01-05T00:00:00Z');
  });

  it('sorted: equal consecutive values are not out of order', () => {
    const { state, warnings } = manager();
    const p = state.progress(dt({ sorted: true }));
    p.observe('2024-01-01T00:00:00Z');
    p.observe('2024-01-01T02:00:00+02:00');
    p.checkpoint();
    expect(warnings).toEqual([]);
    expect(state.value.bookmarks.users!.replication_key_value).toBe('2024-01-01T00:00:00Z');
  });

  it('unsorted: no mid-stream checkpoint; finish commits the max, capped at the signpost', () => {
    const { state } = manager();
    const p = state.progress(dt({ signpost: '2024-06-01T00:00:00Z' }));
    p.observe('2024-03-01T00:00:00Z');
    p.observe('2024-07-01T00:00:00Z'); // beyond the signpost (clock skew, records changing during the sync)
    p.observe('2024-02-01T00:00:00Z');
    p.checkpoint();
    expect(state.value.bookmarks.users).toBeUndefined();
    p.finish();
    expect(state.value.bookmarks.users!.replication_key_value).toBe('2024-06-01T00:00:00Z');
  });

  describe('unsorted numeric keys that hold Unix time are capped at the sync start too (checker finding F5)', () => {
    const start = Date.parse('2024-06-01T00:00:00Z');
    const num = (o: Partial<ProgressOptions> = {}): ProgressOptions => dt({ kind: 'number', epochSignpostMs: start, ...o });
    const finishWith = (o: ProgressOptions, values: number[]) => {
      const { state } = manager();
      const p = state.progress(o);
      for (const v of values) p.observe(v);
      p.finish();
      return state.value.bookmarks.users!.replication_key_value;
    };
    it('seconds beyond the start are capped at the start, in seconds', () => {
      expect(finishWith(num(), [start / 1000 - 50, start / 1000 + 3600, start / 1000 - 10])).toBe(start / 1000);
    });
    it('milliseconds beyond the start are capped at the start, in milliseconds', () => {
      expect(finishWith(num({ replicationKey: 'modifiedTime' }), [start - 5, start + 60_000])).toBe(start);
    });
    it('below the start, the max seen', () => {
      expect(finishWith(num(), [start / 1000 - 50, start / 1000 - 10])).toBe(start / 1000 - 10);
    });
    it('a key not named as a time (an id), or a sorted stream, is not capped', () => {
      expect(finishWith(num({ replicationKey: 'id' }), [start / 1000 + 3600])).toBe(start / 1000 + 3600);
      expect(finishWith(num({ sorted: true }), [start / 1000 - 5, start / 1000 + 3600])).toBe(start / 1000 + 3600);
    });
    it('values outside Unix time ranges (versions, counters) are not capped', () => {
      expect(finishWith(num(), [42, 7])).toBe(42);
    });
  });

  it('unsorted: below the signpost, finish commits the max seen', () => {
    const { state } = manager();
    const p = state.progress(dt({ signpost: '2024-06-01T00:00:00Z' }));
    p.observe('2024-03-01T00:00:00Z');
    p.observe('2024-05-01T00:00:00+02:00');
    p.observe('2024-02-01T00:00:00Z');
    p.finish();
    expect(state.value.bookmarks.users!.replication_key_value).toBe('2024-05-01T00:00:00+02:00');
  });

  it('a stream with no records keeps (commits) its start', () => {
    const prev = manager({ bookmarks: { users: { replication_key: 'updated_at', replication_key_value: '2024-01-01T00:00:00Z' } } }).state;
    prev.progress(dt()).finish();
    expect(prev.value.bookmarks.users!.replication_key_value).toBe('2024-01-01T00:00:00Z');
    const fresh = manager().state;
    fresh.progress(dt({ startDate: '2023-01-01T00:00:00Z' })).finish();
    expect(fresh.value.bookmarks.users).toEqual({ replication_key: 'updated_at', replication_key_value: '2023-01-01T00:00:00Z' });
  });

  it('lookback() moves the start back but never lowers the committed bookmark (sorted checkpoint included)', () => {
    const init: StateValue = { bookmarks: { users: { replication_key: 'updated_at', replication_key_value: '2024-01-10T00:00:00Z' } } };
    const { state } = manager(init);
    const p = state.progress(dt({ sorted: true }));
    p.lookback(5 * 86400);
    expect(p.start).toBe('2024-01-05T00:00:00.000Z');
    expect(p.isNew('2024-01-06T00:00:00Z')).toBe(true);
    expect(p.isNew('2024-01-04T23:59:59Z')).toBe(false);
    p.observe('2024-01-06T00:00:00Z');
    p.checkpoint();
    expect(state.value.bookmarks.users!.replication_key_value).toBe('2024-01-10T00:00:00Z');
    p.finish();
    expect(state.value.bookmarks.users!.replication_key_value).toBe('2024-01-10T00:00:00Z');
  });

  it('lookback(): unsorted finish keeps the old bookmark when nothing newer came', () => {
    const { state } = manager({ bookmarks: { users: { replication_key: 'updated_at', replication_key_value: '2024-01-10T00:00:00Z' } } });
    const p = state.progress(dt({ signpost: '2024-06-01T00:00:00Z' }));
    p.lookback(5 * 86400);
    p.observe('2024-01-06T00:00:00Z');
    p.finish();
    expect(state.value.bookmarks.users!.replication_key_value).toBe('2024-01-10T00:00:00Z');
  });

  it('lookback(): records past the old bookmark advance it', () => {
    const { state } = manager({ bookmarks: { users: { replication_key: 'updated_at', replication_key_value: '2024-01-10T00:00:00Z' } } });
    const p = state.progress(dt({ sorted: true }));
    p.lookback(5 * 86400);
    p.observe('2024-01-06T00:00:00Z');
    p.observe('2024-01-12T00:00:00Z');
    p.checkpoint();
    expect(state.value.bookmarks.users!.replication_key_value).toBe('2024-01-12T00:00:00Z');
    p.finish();
    expect(state.value.bookmarks.users!.replication_key_value).toBe('2024-01-12T00:00:00Z');
  });

  it('lookback() never starts before start_date', () => {
    const { state } = manager({ bookmarks: { users: { replication_key: 'updated_at', replication_key_value: '2024-01-10T00:00:00Z' } } });
    const p = state.progress(dt({ startDate: '2024-01-08T00:00:00Z' }));
    p.lookback(5 * 86400);
    expect(p.start).toBe('2024-01-08T00:00:00.000Z');
    expect(p.isNew('2024-01-07T23:59:59Z')).toBe(false);
  });

  it('lookback() has no effect without a stored bookmark or with 0 seconds; numeric keys look back in their own units', () => {
    const fromStartDate = manager().state.progress(dt({ startDate: '2024-01-08T00:00:00Z' }));
    fromStartDate.lookback(86400);
    expect(fromStartDate.start).toBe('2024-01-08T00:00:00Z');
    const { state } = manager({ bookmarks: { users: { replication_key: 'updated_at', replication_key_value: '2024-01-10T00:00:00Z' } } });
    const zero = state.progress(dt());
    zero.lookback(0);
    expect(zero.start).toBe('2024-01-10T00:00:00Z');
    const num = manager({ bookmarks: { events: { replication_key: 'seq', replication_key_value: 100 } } }).state
      .progress({ stream: 'events', replicationKey: 'seq', kind: 'number', sorted: true });
    num.lookback(50);
    expect(num.start).toBe(50);
    expect(num.isNew(49)).toBe(false);
    expect(num.isNew(50)).toBe(true);
    // the committed bookmark never moves back below the stored one
    num.finish();
  });
});

describe('StateManager', () => {
  it('per-context partitions are independent and key order does not matter', () => {
    const { state } = manager({
      bookmarks: {
        comments: {
          partitions: [
            { context: { project: 1, repo: 'a' }, replication_key: 'updated_at', replication_key_value: '2024-01-01T00:00:00Z' },
          ],
        },
      },
    });
    const opts = (context: Record<string, string | number>) => dt({ stream: 'comments', context, sorted: true });
    const p1 = state.progress(opts({ repo: 'a', project: 1 }));
    expect(p1.start).toBe('2024-01-01T00:00:00Z');
    const p2 = state.progress(opts({ project: 2, repo: 'a' }));
    expect(p2.start).toBeUndefined();
    p1.observe('2024-02-01T00:00:00Z');
    p1.finish();
    p2.observe('2024-03-01T00:00:00Z');
    p2.finish();
    const bm = state.value.bookmarks.comments!;
    expect(bm.replication_key_value).toBeUndefined();
    expect(bm.partitions).toHaveLength(2);
    expect(bm.partitions!.find((x) => x.context.project === 1)!.replication_key_value).toBe('2024-02-01T00:00:00Z');
    expect(bm.partitions!.find((x) => x.context.project === 2)).toEqual({ context: { project: 2, repo: 'a' }, replication_key: 'updated_at', replication_key_value: '2024-03-01T00:00:00Z' });
  });

  it('a numeric date-time bookmark beyond the range of dates is unreadable, not a crash (fuzz counterexample)', () => {
    const { state, warnings } = manager({ bookmarks: { users: { replication_key: 'updated_at', replication_key_value: -8640000000000001 } } });
    expect(state.progress(dt({})).start).toBeUndefined();
    expect(warnings.join('\n')).toMatch(/is not a valid datetime value/);
  });

  it('partitions are capped per stream: the oldest dropped (read again next run), said once (issue 9 #8)', () => {
    const warnings: string[] = [];
    const state = new StateManager(undefined, (m) => warnings.push(m), 3);
    for (let i = 1; i <= 5; i++) {
      const p = state.progress(dt({ stream: 'comments', context: { id: i }, sorted: true }));
      p.observe('2024-02-01T00:00:00Z');
      p.finish();
    }
    expect(state.value.bookmarks.comments!.partitions!.map((x) => x.context.id)).toEqual([3, 4, 5]);
    expect(state.progress(dt({ stream: 'comments', context: { id: 1 }, sorted: true })).start).toBeUndefined();
    expect(warnings.filter((w) => /more than 3 partitions/.test(w))).toHaveLength(1);
  });

  it('a bookmark on a different replication key is ignored, with a warning', () => {
    const { state, warnings } = manager({ bookmarks: { users: { replication_key: 'created_at', replication_key_value: '2030-01-01T00:00:00Z' } } });
    const p = state.progress(dt({ startDate: '2024-01-01T00:00:00Z' }));
    expect(p.start).toBe('2024-01-01T00:00:00Z');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain("'created_at'");
    expect(warnings[0]).toContain("'updated_at'");
    p.observe('2024-02-01T00:00:00Z');
    p.finish();
    expect(state.value.bookmarks.users).toEqual({ replication_key: 'updated_at', replication_key_value: '2024-02-01T00:00:00Z' });
  });

  it('emit() writes STATE, de-duplicating identical consecutive values', () => {
    const { state } = manager();
    const { writer, messages } = fakeWriter();
    state.emit(writer);
    state.emit(writer);
    expect(messages).toEqual([{ type: 'STATE', value: { bookmarks: {} } }]);
    const p = state.progress(dt({ sorted: true }));
    p.observe('2024-01-01T00:00:00Z');
    p.checkpoint();
    state.emit(writer);
    p.checkpoint();
    state.emit(writer);
    expect(messages).toHaveLength(2);
    expect(messages[1]).toEqual({ type: 'STATE', value: { bookmarks: { users: { replication_key: 'updated_at', replication_key_value: '2024-01-01T00:00:00Z' } } } });
    // the emitted value is a snapshot, not the live object
    p.observe('2024-01-02T00:00:00Z');
    p.checkpoint();
    expect((messages[1] as unknown as { value: { bookmarks: { users: { replication_key_value: string } } } }).value.bookmarks.users.replication_key_value).toBe('2024-01-01T00:00:00Z');
    state.emit(writer);
    expect(messages).toHaveLength(3);
  });

  it('bookmarks of streams this run does not touch, and other top-level keys, are preserved; input not mutated', () => {
    const initial: StateValue = {
      bookmarks: {
        legacy_stream: { replication_key: 'id', replication_key_value: 42 },
        users: { replication_key: 'updated_at', replication_key_value: '2024-01-01T00:00:00Z' },
      },
      currently_syncing: null,
    };
    const snapshot = structuredClone(initial);
    const { state } = manager(initial);
    const p = state.progress(dt());
    p.observe('2024-02-01T00:00:00Z');
    p.finish();
    state.touch('teams');
    const { writer, messages } = fakeWriter();
    state.emit(writer);
    expect(messages[0]).toEqual({
      type: 'STATE',
      value: {
        bookmarks: {
          legacy_stream: { replication_key: 'id', replication_key_value: 42 },
          users: { replication_key: 'updated_at', replication_key_value: '2024-02-01T00:00:00Z' },
          teams: {},
        },
        currently_syncing: null,
      },
    });
    expect(initial).toEqual(snapshot);
  });

  it('touch() does not clobber an existing bookmark', () => {
    const { state } = manager({ bookmarks: { teams: { version: 5 } } });
    state.touch('teams');
    expect(state.value.bookmarks.teams).toEqual({ version: 5 });
  });
});

describe('review regressions', () => {
  it('epoch-second date-time keys compare the way the conformer writes them', async () => {
    const { toUtc } = await import('../../../src/kit/records/validate.js');
    const stored = toUtc(1700000000) as string; // the bookmark as written from a conformed record
    const { state } = manager({ bookmarks: { users: { replication_key: 'updated_at', replication_key_value: stored } } });
    const p = state.progress(dt());
    expect(p.isNew(1700000500)).toBe(true);
    expect(p.isNew(1699999999)).toBe(false);
    const fromStart = manager().state.progress(dt({ startDate: '2023-01-01T00:00:00Z' }));
    expect(fromStart.isNew(1700000000)).toBe(true);
  });

  it('a "sorted" stream that turns out unsorted is capped at the signpost like any unsorted one', () => {
    const { state } = manager();
    const p = state.progress(dt({ sorted: true, signpost: '2024-01-05T00:00:00Z' }));
    p.observe('2024-01-02T00:00:00Z');
    p.observe('2024-01-01T00:00:00Z'); // out of order
    p.observe('2024-01-09T00:00:00Z'); // after the sync started
    p.finish();
    expect(state.value.bookmarks.users?.replication_key_value).toBe('2024-01-05T00:00:00Z');
  });

  it('malformed bookmarks and partitions are dropped with a warning instead of failing the run', () => {
    const { state, warnings } = manager({ bookmarks: { a: 5 as never, departments: { partitions: {} as never } } });
    expect(state.value.bookmarks.a).toBeUndefined();
    expect(state.value.bookmarks.departments?.partitions).toBeUndefined();
    expect(warnings).toHaveLength(2);
    const p = state.progress(dt({ stream: 'departments', context: { company_id: 1 } }));
    p.observe('2024-01-01T00:00:00Z');
    p.finish();
    expect(state.value.bookmarks.departments?.partitions).toHaveLength(1);
  });

  it('partitions are found whatever the order of the context keys', () => {
    const { state } = manager({ bookmarks: { d: { partitions: [{ context: { a: 1, b: 2 }, replication_key: 'updated_at', replication_key_value: '2024-01-01T00:00:00Z' }] } } });
    expect(state.progress(dt({ stream: 'd', context: { b: 2, a: 1 } })).start).toBe('2024-01-01T00:00:00Z');
    expect(state.progress(dt({ stream: 'd', context: { a: 1, b: 3 } })).start).toBeUndefined();
  });
});

describe('error paths found by the final checklist', () => {
  it('a file that is not a state (a config by mistake) is refused instead of echoed into STATE', () => {
    const f = file('config-as-state.json', JSON.stringify({ api_key: 'sekrit-value', base_url: 'http://x' }));
    expect(() => readStateFile(f)).toThrow(UserError);
    try {
      readStateFile(f);
    } catch (error) {
      expect((error as Error).message).toMatch(/not a state/);
      expect((error as Error).message).not.toContain('sekrit-value');
    }
    expect(readStateFile(file('empty-object.json', '{}'))).toEqual({ bookmarks: {} });
  });

  it('an unreadable bookmark value is reported and the stream starts from start_date', () => {
    const { state, warnings } = manager({ bookmarks: { users: { replication_key: 'updated_at', replication_key_value: 'garbage' } } });
    const p = state.progress(dt({ startDate: '2024-01-01T00:00:00Z' }));
    expect(p.start).toBe('2024-01-01T00:00:00Z');
    expect(warnings.join('\n')).toMatch(/"garbage" is not a valid datetime/);
  });
});
