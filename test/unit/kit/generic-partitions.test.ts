// Issue 20: a generic stream (records from code), partitions from the settings (each with its own
// bookmark), and settings in a path: the real sync loop in-process, its stdout parsed.
import { describe, expect, it } from 'vitest';
import { generic, rest } from '../../../src/kit/tap/stream.js';
import { defineTap } from '../../../src/kit/tap/tap.js';
import { syncWith, sendJson, recordsOf, lastState } from './sync-harness.js';

const schema = { type: 'object', properties: { n: { type: 'integer' }, file: { type: 'string' }, text: { type: ['null', 'string'] } } };
const noHttp = () => { throw new Error('no request expected'); };

describe('generic streams: an async generator of records, the kit does the rest', () => {
  it('every record, in pages of 100; a sorted stream checkpoints as it goes; a resumed run starts at its bookmark', async () => {
    const seenStarts: unknown[] = [];
    const stream = generic<Record<string, unknown>, { n: number; text: string | null }>({
      name: 'lines', primaryKey: ['n'], replicationKey: 'n', sorted: true, schema,
      records: async function* (ctx) {
        seenStarts.push(ctx.start);
        const from = typeof ctx.start === 'number' ? ctx.start : 0;
        for (let n = from; n < 250; n++) yield { n, text: `line ${n}` };
      },
    });
    const first = await syncWith({ streams: [stream], handler: noHttp, tap: { stateCheckpointInterval: 100 } });
    expect(first.error).toBeUndefined();
    expect(recordsOf(first, 'lines').map((r) => r.n)).toEqual(Array.from({ length: 250 }, (_, i) => i));
    // Checkpoints mid-stream (pages of 100, a checkpoint every 100 records), then the final STATE (249).
    const states = first.messages.filter((m) => m.type === 'STATE').map((m) => m.value?.bookmarks.lines?.replication_key_value);
    expect(states).toEqual([99, 199, 249]);
    const second = await syncWith({ streams: [stream], handler: noHttp, state: lastState(first) });
    expect(seenStarts).toEqual([undefined, 249]);
    expect(recordsOf(second, 'lines').map((r) => r.n)).toEqual([249]);
  });

  it('a record that does not fit the schema is refused like any other (stream and field named)', async () => {
    const stream = generic({ name: 'lines', primaryKey: ['n'], schema, records: () => [{ n: 1 }, { n: 'two' }] });
    const r = await syncWith({ streams: [stream], handler: noHttp });
    expect(r.error?.message).toMatch(/stream 'lines'.*'n'/);
    expect(recordsOf(r, 'lines').map((x) => x.n)).toEqual([1]);
  });
});

describe('partitions from the settings, each with its own bookmark', () => {
  it('a generic stream read once per partition; the STATE keeps one bookmark per partition; a resumed run starts each at its own', async () => {
    const files: Record<string, number> = { 'a.jsonl': 3, 'b.jsonl': 5 };
    const stream = generic<{ files: string[] }>({
      name: 'lines', primaryKey: ['file', 'n'], replicationKey: 'n', sorted: true, schema,
      partitions: (s) => s.files.map((file) => ({ file })),
      records: function* (ctx) {
        const file = String(ctx.context.file);
        const from = typeof ctx.start === 'number' ? ctx.start + 1 : 0;
        for (let n = from; n < (files[file] ?? 0); n++) yield { file, n };
      },
    });
    const settings = { files: ['a.jsonl', 'b.jsonl'] };
    const first = await syncWith({ streams: [stream as never], handler: noHttp, settings });
    expect(first.error).toBeUndefined();
    expect(recordsOf(first, 'lines').map((r) => `${r.file}:${r.n}`)).toEqual(['a.jsonl:0', 'a.jsonl:1', 'a.jsonl:2', 'b.jsonl:0', 'b.jsonl:1', 'b.jsonl:2', 'b.jsonl:3', 'b.jsonl:4']);
    const bookmark = lastState(first)?.bookmarks.lines;
    expect(bookmark?.partitions?.map((p) => [p.context.file, p.replication_key_value])).toEqual([['a.jsonl', 2], ['b.jsonl', 4]]);
    files['b.jsonl'] = 7;
    const second = await syncWith({ streams: [stream as never], handler: noHttp, settings, state: lastState(first) });
    expect(recordsOf(second, 'lines').map((r) => `${r.file}:${r.n}`)).toEqual(['b.jsonl:5', 'b.jsonl:6']);
  });

  it('a REST stream per partition, its path filled from the partition and from a setting', async () => {
    const stream = rest<{ org: string; repos: string[] }>({
      name: 'issues', path: '/orgs/{settings.org}/repos/{repo}/issues', primaryKey: ['id'], records: 'data',
      partitions: (s) => s.repos.map((repo) => ({ repo })),
      transform: (item, _page, ctx) => ({ ...item, repo: ctx.context.repo ?? null }),
      schema: { type: 'object', properties: { id: { type: 'string' }, repo: { type: 'string' } } },
    });
    const r = await syncWith({
      streams: [stream as never], settings: { org: 'acme co', repos: ['api', 'web/app'] },
      handler: (_req, res, url) => sendJson(res, { data: [{ id: url.pathname }] }),
    });
    expect(r.error).toBeUndefined();
    expect(r.requests).toEqual(['/orgs/acme%20co/repos/api/issues', '/orgs/acme%20co/repos/web%2Fapp/issues']);
    expect(recordsOf(r, 'issues').map((x) => x.repo)).toEqual(['api', 'web/app']);
  });

  it('a path setting that is not set is one line naming the stream, the placeholder and the setting', async () => {
    const stream = rest({ name: 'issues', path: '/orgs/{settings.org}/issues', primaryKey: ['id'], schema: { type: 'object', properties: { id: { type: 'string' } } } });
    const r = await syncWith({ streams: [stream], handler: noHttp });
    expect(r.error?.message).toBe("stream 'issues': path /orgs/{settings.org}/issues: placeholder {settings.org} has no value: setting 'org' is not set");
  });
});

describe('a tap of generic streams reads no API', () => {
  it('it declares no client; a REST stream in a tap without one is refused when the tap is defined', () => {
    const base = { name: 'tap-files', description: 'files', version: '0.0.0', catalogDir: new URL('file:///nonexistent/'), settings: { type: 'object' as const, properties: {} } };
    expect(defineTap({ ...base, streams: [generic({ name: 'lines', primaryKey: ['n'], schema, records: () => [] })] }).shapes.map((s) => s.name)).toEqual(['lines']);
    expect(() => defineTap({ ...base, streams: [rest({ name: 'items', path: '/items', primaryKey: ['n'], schema })] }))
      .toThrow("tap-files: stream 'items' reads an API, but the tap declares no client (base URL and auth)");
  });
});
