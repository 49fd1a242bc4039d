/**
 * Issue 9's proof: the real bin/tap-playground against bin/playground with injected faults.
 *
 * - every transient fault (by kind, at a fixed rate and seed): the record set equals a clean run's
 *   (stream, key and content) and the final STATE equals the clean run's;
 * - every permanent fault: one CRITICAL line, exit 1, no stack trace, and the last STATE is safe (a
 *   clean run resumed from it completes the record set);
 * - SIGKILL at seeded random points and resume, repeatedly: nothing lost, duplicates only at bookmark
 *   boundaries (counted);
 * - a reader that stops reading, then SIGTERM: exit 143 within the bounded grace, whole lines only;
 *   a second signal exits at once, whole lines only; a closed stdout (EPIPE): one line, exit 1.
 *
 * Retries wait 10 ms (`retry_backoff_seconds`) and requests time out after 1 s, so the file stays fast.
 */
import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, it } from 'vitest';
import {
  checkSingerOutput,
  recordsOf,
  runTap,
  randomSecret,
  secretLeaks,
  spawnTap,
  stackTraceLines,
  startPlayground,
  TempFiles,
  type PlaygroundProcess,
  type SingerMessage,
  type StateValue,
  type TapRun,
} from './helpers.js';
import { mulberry32 } from '../../src/playground/users.js';

const TAP = 'tap-playground';
const STREAMS = ['user', 'users_next_page_url', 'users_page_number', 'users_offset', 'users_keyset'];
const SEED = 9;
const FAST = { page_size: 20, retry_backoff_seconds: 0.01, request_timeout: 1, max_retries: 8 };

let tmp: TempFiles;
let clean: PlaygroundProcess;
let cleanRun: TapRun;
/** stream -> key -> record JSON, of the clean run. */
let cleanSet: Map<string, Map<string, string>>;

/** The records of one or more runs by stream and key (the content of the last one seen). */
function recordSet(...runs: SingerMessage[][]): Map<string, Map<string, string>> {
  const out = new Map<string, Map<string, string>>();
  for (const messages of runs) {
    for (const stream of STREAMS) {
      const byKey = out.get(stream) ?? out.set(stream, new Map()).get(stream)!;
      for (const r of recordsOf(messages, stream)) byKey.set(String(r.id), JSON.stringify(r));
    }
  }
  return out;
}

function expectSameSet(expect: Parameters<Parameters<typeof it>[1]>[0]['expect'], got: Map<string, Map<string, string>>, label: string, streams = STREAMS): void {
  for (const stream of streams) {
    const want = cleanSet.get(stream)!;
    const have = got.get(stream) ?? new Map();
    const missing = [...want.keys()].filter((k) => !have.has(k));
    const changed = [...want.keys()].filter((k) => have.has(k) && have.get(k) !== want.get(k));
    expect(missing, `${label}: ${stream} records missing`).toEqual([]);
    expect(changed, `${label}: ${stream} records changed`).toEqual([]);
    expect(have.size, `${label}: ${stream} record count`).toBe(want.size);
  }
}

const bookmarks = (state: StateValue | undefined) => JSON.stringify(state?.bookmarks ?? {});
const criticalLines = (stderr: string) => stderr.split('\n').filter((l) => / CRITICAL /.test(l));

async function withFaults<T>(faults: string[], fn: (pg: PlaygroundProcess, config: string) => Promise<T>): Promise<T> {
  const pg = await startPlayground({ args: ['--fault-seed', String(SEED), ...faults.flatMap((f) => ['--fault', f])] });
  try {
    return await fn(pg, tmp.json(`config-${faults.join('+').replace(/[^a-z0-9]+/gi, '_')}.json`, { bearer_token: pg.token, base_url: pg.url, ...FAST }));
  } finally {
    await pg.stop();
  }
}

beforeAll(async () => {
  tmp = new TempFiles('reliability-e2e-');
  clean = await startPlayground();
  cleanRun = await runTap(TAP, ['--config', tmp.json('config-clean.json', { bearer_token: clean.token, base_url: clean.url, ...FAST })]);
  if (cleanRun.code !== 0) throw new Error(`clean run failed: ${cleanRun.stderr}`);
  cleanSet = recordSet(cleanRun.messages);
});

afterAll(async () => {
  await clean?.stop();
  tmp?.cleanup();
});

// Each transient fault at a rate that hits several requests of the ~85 a run makes.
const TRANSIENT = [
  '429=0.1', '429-date=0.03', '429-absent=0.1', '429-empty=0.1',
  '500=0.1', '502=0.1', '503=0.1', '504=0.1', '5xx-burst=0.05,3', 'html=0.1',
  'reset-before=0.1', 'reset-mid-body=0.1', 'truncated=0.1', 'slow=0.02,1500', 'stall=0.02', 'page-cap=1,7',
  // A page answered with the previous page's bytes is asked again, and the real page answers (F8).
  'repeat-page=0.05',
];

describe('transient faults: the same records and the same final STATE as a clean run', () => {
  it.concurrent.for(TRANSIENT)('--fault %s', async (fault, { expect }) => {
    await withFaults([fault], async (pg, config) => {
      const run = await runTap(TAP, ['--config', config], { timeoutMs: 60_000 });
      const hits = (await pg.stats()).faults ?? {};
      expect(Object.values(hits).reduce((a, b) => a + b, 0), `${fault} was injected`).toBeGreaterThan(0);
      expect(run.code, run.stderr.slice(-2000)).toBe(0);
      expect(stackTraceLines(run.stderr)).toEqual([]);
      const checked = checkSingerOutput(run.messages);
      expectSameSet(expect, recordSet(run.messages), fault);
      expect(bookmarks(checked.finalState)).toBe(bookmarks(checkSingerOutput(cleanRun.messages).finalState));
      console.log(`fault ${fault}: ${JSON.stringify(hits)} injected, ${run.messages.length} messages, ${Math.round(run.ms)} ms`);
    });
  });
});

// Faults no retry can cure: one clear line, exit 1, and a STATE a clean resume completes from.
const PERMANENT: Array<[string, string[], RegExp, string[]?]> = [
  ['500 on every request', ['500=1'], /failed: HTTP 500 - injected fault/],
  // Detectable only where the API announces a total (page_number, offset); elsewhere see README.
  ['an empty page before the announced total', ['empty-page=0.3'], /is empty, but the API announced/, ['users_page_number', 'users_offset']],
];

/** A catalog selecting only `streams` (from the tap's own discovery). */
async function catalogOf(streams: string[]): Promise<string> {
  const r = await runTap(TAP, ['--config', tmp.json('config-discover.json', { bearer_token: 'x' }), '--discover'], { json: false });
  const catalog = JSON.parse(r.stdout) as { streams: Array<{ tap_stream_id: string; metadata: Array<{ breadcrumb: string[]; metadata: Record<string, unknown> }> }> };
  for (const s of catalog.streams) {
    const root = s.metadata.find((m) => m.breadcrumb.length === 0)!;
    root.metadata.selected = streams.includes(s.tap_stream_id);
  }
  return tmp.json(`catalog-${streams.join('-')}.json`, catalog);
}

describe('permanent faults: one clear line, exit 1, the last STATE safe', () => {
  it.concurrent.for(PERMANENT)('%s', async ([_name, faults, message, only], { expect }) => {
    await withFaults(faults, async (_pg, config) => {
      const args = ['--config', config, ...(only ? ['--catalog', await catalogOf(only)] : [])];
      const run = await runTap(TAP, args, { timeoutMs: 60_000 });
      expect(run.code).toBe(1);
      const critical = criticalLines(run.stderr);
      expect(critical, run.stderr.slice(-2000)).toHaveLength(1);
      expect(critical[0]).toMatch(message);
      expect(stackTraceLines(run.stderr)).toEqual([]);
      const checked = checkSingerOutput(run.messages, { finalState: false });
      // Resume from the last STATE against the clean server: together, every record.
      const state = tmp.json(`state-${_name.replace(/\W+/g, '_')}.json`, checked.finalState ?? { bookmarks: {} });
      const resumed = await runTap(TAP, [...args.slice(2), '--config', tmp.json(`clean-${_name.replace(/\W+/g, '_')}.json`, { bearer_token: clean.token, base_url: clean.url, ...FAST }), '--state', state]);
      expect(resumed.code, resumed.stderr).toBe(0);
      expectSameSet(expect, recordSet(run.messages, resumed.messages), `${_name} + resume`, only);
    });
  });
});

// tap-playground's link-paged stream follows its last value, not the link (#3): a looping link is
// harmless there. tap-betterstack follows Better Stack's absolute `pagination.next` links.
it('a pagination loop (tap-betterstack): one clear line, exit 1, the last STATE safe', async ({ expect }) => {
  // One request at a time: pages planned from the `last` link (in parallel) never follow a looping next link.
  const config = (pg: PlaygroundProcess) => tmp.json(`bs-${pg.url.replace(/\W+/g, '_')}.json`, { api_key: pg.token, base_url: pg.url, retry_backoff_seconds: 0.01, per_page: 5, max_parallel_requests: 1 });
  const cleanBs = await runTap('tap-betterstack', ['--config', config(clean)]);
  expect(cleanBs.code, cleanBs.stderr).toBe(0);
  await withFaults(['loop=0.3'], async (pg) => {
    const run = await runTap('tap-betterstack', ['--config', config(pg)], { timeoutMs: 60_000 });
    expect(run.code).toBe(1);
    const critical = criticalLines(run.stderr);
    expect(critical, run.stderr.slice(-1500)).toHaveLength(1);
    expect(critical[0]).toMatch(/pagination loop|answered with a page already read/);
    expect(stackTraceLines(run.stderr)).toEqual([]);
    const checked = checkSingerOutput(run.messages, { finalState: false });
    const resumed = await runTap('tap-betterstack', ['--config', config(clean), '--state', tmp.json('bs-loop-state.json', checked.finalState ?? { bookmarks: {} })]);
    expect(resumed.code, resumed.stderr).toBe(0);
    const keys = (...runs: SingerMessage[][]) => new Set(runs.flatMap((m) => m.filter((x) => x.type === 'RECORD').map((x) => `${(x as { stream: string }).stream} ${JSON.stringify((x as { record: unknown }).record)}`)));
    const want = keys(cleanBs.messages);
    const have = keys(run.messages, resumed.messages);
    expect([...want].filter((k) => !have.has(k))).toEqual([]);
  });
});

describe('SIGKILL at random points, then resume, repeatedly', () => {
  it('loses nothing; duplicates only at bookmark boundaries, counted', async ({ expect }) => {
    // One stream at a time, as the attempt budget below assumes (parallel streams each lose their unsaved part to every kill).
    const config = tmp.json('config-kill.json', { bearer_token: clean.token, base_url: clean.url, ...FAST, max_parallel_streams: 1 });
    const next = mulberry32(SEED);
    const total = cleanRun.messages.length;
    const runs: SingerMessage[][] = [];
    let state: StateValue | undefined;
    let duplicates = 0;
    const seen = new Map<string, Set<string>>(STREAMS.map((s) => [s, new Set()]));
    for (let attempt = 0; attempt < 12; attempt++) {
      const killAt = 20 + Math.floor(next() * total * 0.5);
      let lines = 0;
      const args = ['--config', config, ...(state ? ['--state', tmp.json(`kill-state-${attempt}.json`, state)] : [])];
      const { result } = spawnTap(TAP, args, {
        json: false,
        onLine: (_line, child) => {
          if (++lines === killAt) child.kill('SIGKILL');
        },
      });
      const run = await result;
      // A SIGKILL can land mid-line: only whole lines count (what a target would have read).
      const whole = run.stdout.slice(0, run.stdout.lastIndexOf('\n') + 1);
      const messages = whole.split('\n').filter(Boolean).map((l) => JSON.parse(l) as SingerMessage);
      runs.push(messages);
      const from = state;
      // Duplicates of an incremental stream must sit at or after the bookmark the run resumed from.
      for (const stream of STREAMS) {
        const ids = seen.get(stream)!;
        const mark = from?.bookmarks[stream]?.replication_key_value;
        for (const r of recordsOf(messages, stream)) {
          const id = String(r.id);
          if (ids.has(id)) {
            duplicates++;
            if (stream !== 'user' && mark !== undefined) expect(Date.parse(String(r.updatedAt)), `${stream} ${id} re-sent from before its bookmark`).toBeGreaterThanOrEqual(Date.parse(String(mark)));
          }
          ids.add(id);
        }
      }
      const states = messages.filter((m) => m.type === 'STATE');
      if (states.length) state = (states.at(-1) as { value: StateValue }).value;
      if (run.code === 0) break;
    }
    expect(runs.length, 'a run finally completed').toBeLessThan(12);
    expectSameSet(expect, recordSet(...runs), 'kill/resume');
    // The figure the README quotes: how many records were sent twice across the kills.
    console.log(`kill/resume: ${runs.length} runs, ${duplicates} duplicate records (at bookmark boundaries)`);
  }, 120_000);
});

describe('stopping', () => {
  // One playground for the three: 4,000 users, so each tap is mid-run when it is stopped.
  let big: PlaygroundProcess;
  let config: string;
  beforeAll(async () => {
    big = await startPlayground({ scale: 20 });
    config = tmp.json('config-stop.json', { bearer_token: big.token, base_url: big.url });
  });
  afterAll(async () => big?.stop());

  /** Runs the tap and calls `act` once, on its first stdout line. */
  const onFirstLine = (act: (child: ChildProcess) => void, json = true) => {
    let done = false;
    return spawnTap(TAP, ['--config', config], {
      json, timeoutMs: 30_000,
      onLine: (_line, child) => {
        if (done) return;
        done = true;
        act(child);
      },
    }).result;
  };

  it('a reader that stops reading, then SIGTERM: exit 143 within the grace, whole lines only', async ({ expect }) => {
    const run = await onFirstLine((c) => {
      c.stdout!.pause();
      // Give the pipe time to fill, then stop the tap while nobody reads; read again once it exited.
      setTimeout(() => {
        c.once('exit', () => c.stdout!.resume());
        c.kill('SIGTERM');
      }, 1000);
    });
    expect(run.code).toBe(143);
    expect(run.stderr).toContain('stdout not read for 5s after SIGTERM');
    expect(stackTraceLines(run.stderr)).toEqual([]);
    checkSingerOutput(run.messages, { finalState: false });
  }, 40_000);

  it('a second SIGINT exits at once, whole lines only', async ({ expect }) => {
    const run = await onFirstLine((c) => {
      c.kill('SIGINT');
      setImmediate(() => c.kill('SIGINT'));
    });
    expect(run.code).toBe(130);
    expect(stackTraceLines(run.stderr)).toEqual([]);
    checkSingerOutput(run.messages, { finalState: false });
  });

  it('EPIPE (the target died): one line saying the output was closed, exit 1', async ({ expect }) => {
    const run = await onFirstLine((c) => c.stdout!.destroy(), false);
    expect(run.code).toBe(1);
    const critical = criticalLines(run.stderr);
    expect(critical).toHaveLength(1);
    expect(critical[0]).toMatch(/stdout was closed by its reader/);
    expect(stackTraceLines(run.stderr)).toEqual([]);
  });
});

describe('user input: one clear line, exit 1, never a stack trace or a secret (#16-#19)', () => {
  const oneLine = async (args: string[], message: RegExp, expect: Parameters<Parameters<typeof it>[1]>[0]['expect']) => {
    const run = await runTap(TAP, args, { json: false });
    expect(run.code, run.stderr).toBe(1);
    expect(stackTraceLines(run.stderr)).toEqual([]);
    const critical = criticalLines(run.stderr);
    expect(critical, run.stderr).toHaveLength(1);
    expect(critical[0]).toMatch(message);
    return run;
  };

  it('#17 base_url with an ftp: scheme', async ({ expect }) => {
    await oneLine(['--config', tmp.json('ftp.json', { bearer_token: randomSecret(), base_url: 'ftp://example.com' })], /base URL 'ftp:\/\/example.com\/?' must be an http:\/\/ or https:\/\/ URL/, expect);
  });

  it('#17 a config value nested 100,000 levels deep, and a secret given as a deep list', async ({ expect }) => {
    const deep = tmp.text('deep.json', `{"bearer_token": "x-token-1234", "page_size": ${'['.repeat(100_000)}${']'.repeat(100_000)}}`);
    await oneLine(['--config', deep], /config: setting 'page_size' is nested more than 64 levels deep/, expect);
    const secret = randomSecret();
    const deepSecret = tmp.text('deep-secret.json', `{"bearer_token": ${'['.repeat(5000)}"${secret}"${']'.repeat(5000)}}`);
    await oneLine(['--config', deepSecret], /config: setting 'bearer_token' is nested more than 64 levels deep/, expect);
  });

  it('#18 invalid JSON in --config, --catalog, --state: file, line, column, never the content', async ({ expect }) => {
    const secret = randomSecret();
    const broken = tmp.text('broken.json', `{\n  "bearer_token": "${secret}",\n  "page_size": 1O\n}`);
    const good = tmp.json('good.json', { bearer_token: secret, base_url: clean.url });
    for (const [flag, args] of [['--config', ['--config', broken]], ['--catalog', ['--config', good, '--catalog', broken]], ['--state', ['--config', good, '--state', broken]]] as const) {
      const run = await oneLine([...args], new RegExp(`${flag} .*broken.json: not valid JSON \\(line 3, column 17: .*\\)$`), expect);
      for (let i = 0; i + 4 <= secret.length; i++) expect(run.stderr).not.toContain(secret.slice(i, i + 4));
    }
  });

  it('a tap-rest definition nested 90,000 levels deep is one line (the fuzz test stays shallower: a worker thread has less stack)', async ({ expect }) => {
    const def = tmp.text('deep-def.json', `{"client": {"base_url": "http://127.0.0.1:1"}, "resources": ${'['.repeat(90_000)}${']'.repeat(90_000)}}`);
    const run = await runTap('tap-rest', ['--config', tmp.json('deep-def-config.json', { source: def }), '--discover'], { json: false });
    expect(run.code).toBe(1);
    expect(stackTraceLines(run.stderr)).toEqual([]);
    expect(criticalLines(run.stderr)).toHaveLength(1);
    expect(criticalLines(run.stderr)[0]).toMatch(/deep-def.json line 1 column \d+: not valid JSON or YAML/);
  });

  it('#19 --config with no value is refused, not read as no config', async ({ expect }) => {
    await oneLine(['--config'], /--config needs a file name or ENV/, expect);
  });

  it('the secret scanner itself finds a secret in its encodings (else these tests prove nothing)', ({ expect }) => {
    const secret = randomSecret();
    expect(secretLeaks(`Authorization: Basic ${Buffer.from(`me:${secret}`).toString('base64')}`)).not.toEqual([]);
    expect(secretLeaks(`GET /x?token=${encodeURIComponent(secret)}`)).not.toEqual([]);
    expect(secretLeaks(Buffer.from(secret).toString('hex'))).not.toEqual([]);
    expect(secretLeaks('nothing to see')).toEqual([]);
  });
});

describe('position paging over a list that changes during the run (#3)', () => {
  it('rows updated while a stream pages are not skipped (each next page asked from the last value written)', async ({ expect }) => {
    // 30 ms per request: the mutation lands while each position stream is still paging.
    const pg = await startPlayground({ args: ['--fault', 'slow=1,30'] });
    try {
      const users = (await pg.stats()).playground!.users!;
      const config = tmp.json('config-mutating.json', { bearer_token: pg.token, base_url: pg.url, page_size: 10 });
      const position = ['users_next_page_url', 'users_page_number', 'users_offset'];
      const mutated = new Set<string>();
      const counts = new Map<string, number>();
      const mutations: Array<Promise<unknown>> = [];
      const { result } = spawnTap(TAP, ['--config', config], {
        timeoutMs: 60_000,
        onLine: (line) => {
          const m = /"stream":"(users_[a-z_]+)"/.exec(line);
          if (!m || !line.startsWith('{"type":"RECORD"') || !position.includes(m[1]!)) return;
          const n = (counts.get(m[1]!) ?? 0) + 1;
          counts.set(m[1]!, n);
          // After the first pages of each stream: 15 rows move to the end of the list.
          if (n === 30 && !mutated.has(m[1]!)) {
            mutated.add(m[1]!);
            mutations.push(pg.mutate(15));
          }
        },
      });
      const run = await result;
      await Promise.all(mutations);
      expect(run.code, run.stderr.slice(-1500)).toBe(0);
      expect(mutated.size).toBe(3);
      checkSingerOutput(run.messages, { uniqueKeys: false });
      for (const stream of position) {
        const ids = new Set(recordsOf(run.messages, stream).map((r) => String(r.id)));
        expect(ids.size, `${stream}: every user read, none skipped by the rows that moved`).toBe(users);
      }
    } finally {
      await pg.stop();
    }
  });
});
