/**
 * The checker's own checks, on a small source and hand-made messages (no process): each kind of loss
 * it claims to catch is caught, and a faithful stream passes.
 */
import { describe, expect, it } from 'vitest';
import { checkState, checkTarget, comparableBookmarks } from './checks.js';
import { Ledger } from './ledger.js';
import { Random } from './random.js';
import type { StreamSpec } from './scenario.js';
import { Source } from './source.js';

const spec = (over: Partial<StreamSpec> = {}): StreamSpec => ({
  name: 's0', order: 'asc', paginator: 'json_link', pageSize: 3, incremental: true, since: true, cursorType: 'iso', children: 'http', childPaginator: 'cursor', rows: 8, ...over,
});

function setup(over: Partial<StreamSpec> = {}) {
  const source = new Source([spec(over)], new Random(7), true);
  const data = source.streams.get('s0')!;
  const rows = data.ordered();
  const ledger = new Ledger();
  const deliver = (count: number, version?: number) => {
    for (const row of rows.slice(0, count)) {
      ledger.apply({ type: 'RECORD', stream: 's0', record: data.item(row), ...(version ? { version } : {}) });
      for (const c of row.children) ledger.apply({ type: 'RECORD', stream: 's0_children', record: data.child(c), ...(version ? { version } : {}) });
    }
  };
  const bookmark = (i: number) => ({ s0: { replication_key: 'updated_at', replication_key_value: data.item(rows[i]!).updated_at } });
  return { source, data, rows, ledger, deliver, bookmark };
}

describe('checkState', () => {
  it('passes a bookmark at the last row delivered (rows at the bookmark are read again)', () => {
    const { source, ledger, deliver, bookmark } = setup();
    deliver(4);
    expect(checkState(bookmark(3), source, ledger, 'run 1')).toEqual([]);
    expect(checkState(bookmark(4), source, ledger, 'run 1')).toEqual([]);
  });

  it('catches a bookmark past a row never delivered', () => {
    const { source, ledger, deliver, bookmark } = setup();
    deliver(4);
    const v = checkState(bookmark(6), source, ledger, 'run 1');
    expect(v.map((x) => x.kind)).toContain('bookmark-ahead');
    expect(v[0]!.detail).toMatch(/run 1: STATE bookmark .* covers \d+ row\(s\) never delivered/);
  });

  it("catches a parent bookmark past children never delivered (a server-filtered parent's children are not asked for again)", () => {
    const { source, data, rows, ledger, bookmark } = setup();
    const parent = rows.find((r) => r.children.length > 0)!;
    const index = rows.indexOf(parent);
    for (const row of rows.slice(0, index + 1)) ledger.apply({ type: 'RECORD', stream: 's0', record: data.item(row) });
    const v = checkState(bookmark(Math.min(index + 1, rows.length - 1)), source, ledger, 'run 1');
    expect(v.map((x) => x.stream)).toContain('s0_children');
  });

  it('catches a row changed before the bookmark whose new version was not delivered', () => {
    const { source, data, rows, ledger, deliver, bookmark } = setup({ order: 'unsorted' });
    deliver(rows.length);
    const row = rows[2]!;
    row.name = 'changed';
    row.updated_at = Date.parse(String(data.item(rows[rows.length - 1]!).updated_at)) - 1;
    expect(checkState(bookmark(rows.length - 1), source, ledger, 'run 2').map((x) => x.kind)).toEqual(['bookmark-ahead']);
  });
});

describe('checkTarget', () => {
  it('passes a target holding every row with its latest content', () => {
    const { source, ledger, deliver, rows } = setup();
    deliver(rows.length);
    expect(checkTarget(source, ledger, 'end')).toEqual({ violations: [], lost: 0 });
  });

  it('catches rows never delivered, stale content, and rows an ACTIVATE_VERSION deleted', () => {
    const { source, data, rows, ledger, deliver } = setup({ incremental: false, since: false, order: 'unsorted' });
    deliver(rows.length, 1);
    rows[0]!.name = 'renamed';
    rows[0]!.updated_at += 1;
    const late = rows[1]!;
    late.score = null;
    ledger.apply({ type: 'ACTIVATE_VERSION', stream: 's0', version: 2 });
    ledger.apply({ type: 'RECORD', stream: 's0', record: data.item(rows[2]!), version: 2 });
    const { violations } = checkTarget(source, ledger, 'end');
    const kinds = new Set(violations.map((v) => v.kind));
    expect(kinds).toEqual(new Set(['deleted']));
    expect(violations.some((v) => v.detail.includes(`row ${late.id} (invalid`))).toBe(true);
    const fresh = new Ledger();
    for (const row of rows.slice(1)) fresh.apply({ type: 'RECORD', stream: 's0', record: data.item(row) });
    const stale = new Ledger();
    stale.apply({ type: 'RECORD', stream: 's0', record: { ...data.item(rows[0]!), name: 'old' } });
    expect(checkTarget(source, stale, 'end').violations.map((v) => v.kind)).toContain('stale');
    expect(checkTarget(source, fresh, 'end').violations.filter((v) => v.stream === 's0').map((v) => v.kind)).toEqual(['lost']);
  });

  it('counts a record delivered again with the same content as a duplicate', () => {
    const { ledger, deliver } = setup();
    deliver(3);
    deliver(3);
    expect(ledger.duplicates).toBe(ledger.records / 2);
  });
});

describe('comparableBookmarks', () => {
  it('ignores versions (one per run), nothing else', () => {
    expect(comparableBookmarks({ a: { replication_key_value: 1, version: 5 } })).toBe(comparableBookmarks({ a: { replication_key_value: 1, version: 9 } }));
    expect(comparableBookmarks({ a: { replication_key_value: 1 } })).not.toBe(comparableBookmarks({ a: { replication_key_value: 2 } }));
  });
});
