import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { describe, it, expect } from 'vitest';
import { MessageWriter } from '../../../src/kit/output/messages.js';
import { Logger } from '../../../src/kit/log/log.js';
import { Redactor } from '../../../src/kit/log/redact.js';
import { outputWriter, TransformingWriter } from '../../../src/kit/output/output.js';
import { tapStreamMaps } from '../../../src/kit/output/maps/tap-maps.js';

function sink() {
  const chunks: string[] = [];
  const out = new Writable({ write(chunk: Buffer, _e, cb) { chunks.push(chunk.toString('utf8')); cb(); } });
  return { out, messages: () => chunks.join('').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>) };
}
const quiet = new Logger('tap-x', { redactor: new Redactor(), out: { write: () => true } as unknown as NodeJS.WriteStream, level: 'error', format: 'text' });
const schema = { type: 'object', properties: { id: { type: 'integer' }, updatedAt: { type: 'string' }, nested: { type: 'object', properties: { a: { type: 'string' } } } } };

describe('output pipeline', () => {
  it('nothing configured: the plain writer itself (no per-record cost)', async () => {
    const w = new MessageWriter(sink().out);
    expect(await outputWriter(w, { settings: {}, tapName: 'tap-x', log: quiet })).toBe(w);
  });

  it('maps then flattening: SCHEMA, RECORD and ACTIVATE_VERSION renamed; STATE as is', async () => {
    const s = sink();
    const w = await outputWriter(new MessageWriter(s.out), {
      settings: { stream_maps: { users: { __alias__: 'people', double: 'id * 2' }, orders: null }, flattening_enabled: true, flattening_max_depth: 1 },
      tapName: 'tap-x', log: quiet,
    });
    expect(w).toBeInstanceOf(TransformingWriter);
    w.write({ type: 'SCHEMA', stream: 'users', schema, key_properties: ['id'], bookmark_properties: ['updatedAt'] });
    w.write({ type: 'SCHEMA', stream: 'orders', schema, key_properties: ['id'] });
    w.record('users', { id: 1, updatedAt: 'u', nested: { a: 'x' } }, { timeExtracted: '2024-01-01T00:00:00Z', version: 5 });
    w.record('orders', { id: 1 }, { timeExtracted: '2024-01-01T00:00:00Z' });
    w.write({ type: 'ACTIVATE_VERSION', stream: 'users', version: 5 });
    w.write({ type: 'STATE', value: { bookmarks: { users: {} } } });
    await w.close();
    const m = s.messages();
    expect(m.map((x) => [x.type, x.stream])).toEqual([['SCHEMA', 'people'], ['RECORD', 'people'], ['ACTIVATE_VERSION', 'people'], ['STATE', undefined]]);
    expect(m[0]).toMatchObject({ key_properties: ['id'], bookmark_properties: ['updatedAt'] });
    expect(Object.keys((m[0]!.schema as { properties: object }).properties)).toEqual(['id', 'updatedAt', 'nested__a', 'double']);
    expect(m[1]).toMatchObject({ record: { id: 1, updatedAt: 'u', nested__a: 'x', double: 2 }, version: 5 });
    expect(m[3]!.value).toEqual({ bookmarks: { users: {} } });
  });

  it('BATCH: a STATE comes after the BATCH messages of the files it covers', async () => {
    const s = sink();
    const dir = mkdtempSync(path.join(os.tmpdir(), 'out-batch-'));
    const w = await outputWriter(new MessageWriter(s.out), { settings: { batch_config: { storage: { root: `file://${dir}` }, batch_size: 2 } }, tapName: 'tap-x', log: quiet });
    w.write({ type: 'SCHEMA', stream: 'users', schema, key_properties: ['id'] });
    for (let i = 0; i < 3; i++) w.record('users', { id: i }, { timeExtracted: 't' });
    // Rows from BATCH files carry no table version: an ACTIVATE_VERSION would delete them all.
    w.write({ type: 'ACTIVATE_VERSION', stream: 'users', version: 1 });
    w.write({ type: 'STATE', value: { n: 3 } });
    w.record('users', { id: 4 }, { timeExtracted: 't' });
    await w.close();
    expect(s.messages().map((x) => x.type)).toEqual(['SCHEMA', 'BATCH', 'BATCH', 'STATE', 'BATCH']);
  });

  it("a tap's own maps run before the user's stream_maps", async () => {
    const s = sink();
    const w = await outputWriter(new MessageWriter(s.out), {
      settings: { stream_maps: { users: { plus: 'tap_value + 1' } } },
      tapName: 'tap-x', log: quiet,
      tapMaps: tapStreamMaps({ users: { properties: { tap_value: { schema: { type: 'integer' }, value: (r) => Number(r.id) * 10 } } } }),
    });
    w.write({ type: 'SCHEMA', stream: 'users', schema, key_properties: ['id'] });
    w.record('users', { id: 2 }, { timeExtracted: 't' });
    await w.close();
    expect(s.messages()[1]).toMatchObject({ record: { id: 2, tap_value: 20, plus: 21 } });
  });
});
