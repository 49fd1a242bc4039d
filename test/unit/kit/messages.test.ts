import { Writable } from 'node:stream';
import { describe, it, expect } from 'vitest';
import { MessageWriter } from '../../../src/kit/output/messages.js';

function sink(options: { highWaterMark?: number; delayMs?: number } = {}) {
  const chunks: string[] = [];
  let writes = 0;
  const out = new Writable({
    highWaterMark: options.highWaterMark ?? 16 * 1024,
    write(chunk: Buffer, _enc, cb) {
      writes++;
      chunks.push(chunk.toString('utf8'));
      if (options.delayMs) setTimeout(cb, options.delayMs);
      else cb();
    },
  });
  return { out, text: () => chunks.join(''), writes: () => writes };
}

const lines = (text: string) => text.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Record<string, unknown>);

describe('MessageWriter', () => {
  it('writes compact JSON lines, one message per line', async () => {
    const s = sink();
    const w = new MessageWriter(s.out);
    w.write({ type: 'SCHEMA', stream: 'users', schema: { type: 'object', properties: { id: { type: 'integer' } } }, key_properties: ['id'] });
    w.record('users', { id: 1, name: 'a b' }, { timeExtracted: '2024-01-01T00:00:00.000Z' });
    w.record('users', { id: 2 }, { timeExtracted: '2024-01-01T00:00:00.000Z', version: 17 });
    w.write({ type: 'STATE', value: { bookmarks: {} } });
    await w.close();
    const text = s.text();
    expect(text.endsWith('\n')).toBe(true);
    const raw = text.trimEnd().split('\n');
    expect(raw).toHaveLength(4);
    expect(raw[0]).toBe('{"type":"SCHEMA","stream":"users","schema":{"type":"object","properties":{"id":{"type":"integer"}}},"key_properties":["id"]}');
    expect(raw[1]).toBe('{"type":"RECORD","stream":"users","record":{"id":1,"name":"a b"},"time_extracted":"2024-01-01T00:00:00.000Z"}');
    expect(raw[2]).toBe('{"type":"RECORD","stream":"users","record":{"id":2},"time_extracted":"2024-01-01T00:00:00.000Z","version":17}');
    expect(raw[3]).toBe('{"type":"STATE","value":{"bookmarks":{}}}');
    expect(w.count).toBe(4);
  });

  it('buffers small output until ready() (a page boundary) or close() flushes it', async () => {
    const s = sink();
    const w = new MessageWriter(s.out);
    w.write({ type: 'STATE', value: { a: 1 } });
    w.write({ type: 'STATE', value: { a: 2 } });
    expect(s.text()).toBe('');
    await w.ready();
    expect(lines(s.text()).map((m) => (m.value as { a: number }).a)).toEqual([1, 2]);
    w.write({ type: 'STATE', value: { a: 3 } });
    await w.close();
    expect(lines(s.text()).map((m) => (m.value as { a: number }).a)).toEqual([1, 2, 3]);
  });

  it('hands data over in chunks once 64 KiB is buffered', () => {
    const s = sink();
    const w = new MessageWriter(s.out);
    const big = 'x'.repeat(1000);
    for (let i = 0; i < 70; i++) w.record('s', { i, big }, { timeExtracted: 't' });
    expect(s.writes()).toBeGreaterThanOrEqual(1);
    expect(s.text().length).toBeGreaterThanOrEqual(64 * 1024);
  });

  it('with a slow consumer, ready() waits for drain and every line arrives in order', async () => {
    const s = sink({ highWaterMark: 16, delayMs: 2 });
    const w = new MessageWriter(s.out);
    const payload = 'y'.repeat(200);
    let n = 0;
    let waits = 0;
    for (let page = 0; page < 5; page++) {
      for (let i = 0; i < 400; i++) w.record('events', { n: n++, payload }, { timeExtracted: 't' });
      // the stream is behind: ready() must not resolve before 'drain'
      if (s.out.writableNeedDrain) {
        waits++;
        let resolved = false;
        const p = w.ready().then(() => { resolved = true; });
        await new Promise((r) => setImmediate(r));
        expect(resolved).toBe(false);
        await p;
        expect(s.out.writableNeedDrain).toBe(false);
        expect(s.out.writableLength).toBe(0);
      }
    }
    expect(waits).toBeGreaterThan(0);
    await w.close();
    const got = lines(s.text());
    expect(got).toHaveLength(n);
    expect(got.map((m) => (m.record as { n: number }).n)).toEqual(Array.from({ length: n }, (_, i) => i));
    expect(w.count).toBe(n);
  });

  it('close() waits for the consumer to take everything', async () => {
    const s = sink({ highWaterMark: 16, delayMs: 5 });
    const w = new MessageWriter(s.out);
    for (let i = 0; i < 300; i++) w.record('s', { i, pad: 'z'.repeat(300) }, { timeExtracted: 't' });
    await w.close();
    expect(lines(s.text())).toHaveLength(300);
    expect(s.out.writableLength).toBe(0);
  });
});
