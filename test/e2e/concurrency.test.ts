/**
 * Concurrency never changes what is extracted: the real taps against the playground with one request
 * at a time and with parallel streams, pages and partitions, at several page sizes, write the same
 * records (in the same order per stream at one page size) and end with the same STATE. Then an
 * incremental run from that STATE after the source changed, again under every setting.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { ROOT, checkSingerOutput, recordsOf, runTap, runTapUntil, startPlayground, statesOf, TempFiles, type CatalogLike, type PlaygroundProcess, type SingerMessage } from './helpers.js';

let tmp: TempFiles;
beforeAll(() => { tmp = new TempFiles('concurrency-e2e-'); });
afterAll(() => tmp.cleanup());

const ONE_AT_A_TIME = { max_parallel_requests: 1, max_parallel_streams: 1 };
const SETTINGS = [
  { name: 'one at a time', ...ONE_AT_A_TIME },
  { name: 'defaults' },
  { name: 'wide', max_parallel_requests: 16, max_parallel_streams: 9 },
];

/** Each stream's records in order, as text (time_extracted and version differ from run to run by design). */
function streamsOf(messages: SingerMessage[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const m of messages) if (m.type === 'RECORD') (out[m.stream] ??= []).push(JSON.stringify(m.record));
  return out;
}

/** A STATE without the ACTIVATE_VERSION versions (a timestamp of each run). */
function withoutVersions(state: unknown): unknown {
  return JSON.parse(JSON.stringify(state), (key, value: unknown) => (key === 'version' ? undefined : value));
}

const sortedStreams = (s: Record<string, string[]>) => Object.fromEntries(Object.entries(s).map(([k, v]) => [k, [...v].sort()]));

async function selectEverything(tap: string, config: string, except: string[] = []): Promise<string> {
  const run = await runTap(tap, ['--config', config, '--discover'], { json: false });
  const catalog = JSON.parse(run.stdout) as CatalogLike;
  for (const entry of catalog.streams) {
    const top = entry.metadata?.find((m) => m.breadcrumb.length === 0);
    if (top) top.metadata.selected = !except.includes(entry.tap_stream_id);
  }
  return tmp.json(`${tap}-all.catalog.json`, catalog);
}

interface Case {
  tap: string;
  credentials: (pg: PlaygroundProcess) => Record<string, unknown>;
  /** Page-size settings to try, the first being the tap's default. */
  pageSizes: Array<Record<string, unknown>>;
  scale: number;
  /** Streams whose output depends on the clock (a window ending when the sync starts): left out. */
  clocked?: string[];
  /** The source's changes move the STATE (incremental streams). Default true. */
  incremental?: boolean;
}

/** tap-rest's shipped monitoring definition with another page size. */
function monitoringWithLimit(limit: number): string {
  const def = JSON.parse(readFileSync(path.join(ROOT, 'sample-config', 'monitoring.source.json'), 'utf8')) as { resources: Array<{ endpoint: { paginator?: Record<string, unknown> } }> };
  for (const r of def.resources) if (r.endpoint.paginator?.type === 'offset') r.endpoint.paginator.limit = limit;
  return tmp.json(`monitoring-limit-${limit}.source.json`, def);
}

const CASES: Case[] = [
  { tap: 'tap-playground', credentials: (pg) => ({ bearer_token: pg.token, base_url: pg.url }), pageSizes: [{}, { page_size: 7 }], scale: 3 },
  { tap: 'tap-betterstack', credentials: (pg) => ({ api_key: pg.token, base_url: pg.url }), pageSizes: [{}, { per_page: 7 }], scale: 2 },
  {
    tap: 'tap-harness',
    credentials: (pg) => ({ api_token: pg.token, account_id: 'playground-account', base_url: pg.url, dora: { ou_ids: ['collection-1', 'collection-2'], widget_id: 'mttr-widget-7' } }),
    pageSizes: [{}, { page_size: 7 }],
    scale: 3,
    clocked: ['mean_time_to_resolution'],
  },
  {
    tap: 'tap-rest',
    credentials: (pg) => ({ source: 'sample-config/monitoring.source.json', base_url: pg.url, api_key: pg.token }),
    pageSizes: [{}, { source: 'LIMIT_7' }],
    scale: 3,
    incremental: false,
  },
];

describe.concurrent('same records and same final STATE with any concurrency setting and page size', () => {
  for (const c of CASES) {
    it(`${c.tap}: full sync, then an incremental sync after the source changed`, async ({ expect }) => {
      const pg = await startPlayground({ scale: c.scale });
      try {
        const catalog = await selectEverything(c.tap, tmp.json(`${c.tap}-discover.json`, c.credentials(pg)), c.clocked);
        let versionedState: unknown;
        const runAll = async (label: string, state?: string) => {
          const out: Array<{ name: string; streams: Record<string, string[]>; state: unknown }> = [];
          for (const pageSize of c.pageSizes) {
            for (const { name, ...settings } of SETTINGS) {
              const sized = pageSize.source === 'LIMIT_7' ? { source: monitoringWithLimit(7) } : pageSize;
              const config = tmp.json(`${c.tap}-${label}-${name}-${JSON.stringify(pageSize)}.json`, { ...c.credentials(pg), ...settings, ...sized, emit_activate_version_messages: true });
              const run = await runTap(c.tap, ['--config', config, '--catalog', catalog, ...(state ? ['--state', state] : [])], { timeoutMs: 60_000 });
              if (!state) versionedState ??= statesOf(run.messages).at(-1);
              expect(run.code, run.stderr).toBe(0);
              // No warning of Node's own reaches the user (16 requests in flight on one stream once printed one).
              expect(run.stderr, `${label}, ${name}`).not.toMatch(/\(node:\d+\) \w*Warning/);
              checkSingerOutput(run.messages);
              out.push({ name: `${name} ${JSON.stringify(pageSize)}`, streams: streamsOf(run.messages), state: withoutVersions(statesOf(run.messages).at(-1)) });
            }
          }
          const [reference, ...others] = out;
          expect(Object.keys(reference!.streams).length).toBeGreaterThan(c.incremental === false ? 0 : 3);
          for (const o of others) {
            expect(o.state, `${label}, ${o.name}: final STATE`).toEqual(reference!.state);
            if (o.name.endsWith(' {}')) {
              expect(o.streams, `${label}, ${o.name}: records in the same order per stream`).toEqual(reference!.streams);
            } else {
              expect(sortedStreams(o.streams), `${label}, ${o.name}: the same records`).toEqual(sortedStreams(reference!.streams));
            }
          }
          return reference!;
        };
        const full = await runAll('full');
        expect(Object.values(full.streams).reduce((n, l) => n + l.length, 0)).toBeGreaterThan(100);
        await pg.mutate(12);
        const state = tmp.json(`${c.tap}-state.json`, versionedState);
        const incremental = await runAll('incremental', state);
        if (c.incremental !== false) expect(incremental.state).not.toEqual(full.state);
      } finally {
        await pg.stop();
      }
    }, 240_000);
  }
});

describe('the request budget', () => {
  it('a rate-limited API (token bucket, X-RateLimit-* headers) with 16 requests in flight: every record, exit 0', async ({ expect }) => {
    const pg = await startPlayground({ scale: 1, args: ['--rate-limit', '8:40'] });
    try {
      const config = tmp.json('rate-limited.json', { bearer_token: pg.token, base_url: pg.url, page_size: 20, max_parallel_requests: 16, max_parallel_streams: 5 });
      const reference = tmp.json('rate-limited-1.json', { bearer_token: pg.token, base_url: pg.url, page_size: 20, ...ONE_AT_A_TIME });
      const parallel = await runTap('tap-playground', ['--config', config], { timeoutMs: 120_000 });
      expect(parallel.code, parallel.stderr).toBe(0);
      const serial = await runTap('tap-playground', ['--config', reference], { timeoutMs: 120_000 });
      expect(serial.code, serial.stderr).toBe(0);
      expect(streamsOf(parallel.messages)).toEqual(streamsOf(serial.messages));
      expect(statesOf(parallel.messages).at(-1)).toEqual(statesOf(serial.messages).at(-1));
      expect(recordsOf(parallel.messages).length).toBeGreaterThan(800);
    } finally {
      await pg.stop();
    }
  }, 240_000);
});

describe('a signal with every stream running at once', () => {
  it('SIGTERM while four streams page in parallel, then a run from the last STATE: every user of every stream', async ({ expect }) => {
    const pg = await startPlayground({ scale: 20 });
    try {
      const file = tmp.json('parallel-kill.json', { bearer_token: pg.token, base_url: pg.url, page_size: 50 });
      const users = (await pg.stats()).playground!.users!;
      const { run: run1, signalled } = await runTapUntil('tap-playground', ['--config', file], '"type":"RECORD"', 1500);
      expect(signalled).toBe(true);
      expect(run1.code).toBe(143);
      const c1 = checkSingerOutput(run1.messages);
      const run2 = await runTap('tap-playground', ['--config', file, '--state', tmp.json('parallel-kill-state.json', c1.finalState)], { timeoutMs: 60_000 });
      expect(run2.code, run2.stderr).toBe(0);
      checkSingerOutput(run2.messages);
      const streams = ['users_next_page_url', 'users_page_number', 'users_offset', 'users_keyset'];
      const started = streams.filter((st) => recordsOf(run1.messages, st).length > 0);
      expect(started.length, 'streams ran in parallel before the signal').toBeGreaterThan(1);
      for (const stream of streams) {
        const union = new Set([...recordsOf(run1.messages, stream), ...recordsOf(run2.messages, stream)].map((r) => String(r.id)));
        expect(union.size, `${stream}: nothing lost across the kill`).toBe(users);
      }
    } finally {
      await pg.stop();
    }
  }, 120_000);
});
