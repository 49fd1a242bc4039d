// tap-rest against dlt itself: every case of test/interop/dlt-diff/cases.ts (a dlt rest_api definition
// and the records it should extract) is served by a local mock, run by dlt's `rest_api_source` (the
// pinned dlt that scripts/interop-setup.sh installs) and by bin/tap-rest, and both record sets are
// compared with the mock's truth by primary key and content.
// - tap-rest must be right on every case, except those marked `awaits` (a kit change not made yet):
//   those are expected failures, which fail the suite the day they start passing.
// - dlt's outcome is recorded, not asserted right: where dlt is wrong, the table says so.
// - What was measured must equal test/interop/dlt-diff/results.json, the source of the README's table
//   (`DLT_DIFF_WRITE=1 npm run test:interop -- test/interop/dlt-diff.test.ts` rewrites it, then
//   `npm run gen:docs` the README).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { startPlayground, type Playground } from '../../src/playground/server.js';
import { ROOT, requireInterop, run, tempDir } from './support.js';
import { CASES, type Case } from './dlt-diff/cases.js';
import { diffMock, type Rec } from './dlt-diff/mock.js';
import { describeTruth, judge, type Extracted, type Outcome } from './dlt-diff/judge.js';

const { env, skip } = requireInterop();
const RESULTS = join(ROOT, 'test/interop/dlt-diff/results.json');
const TAP_CONCURRENCY = 3;

interface Row {
  id: string;
  group: string;
  what: string;
  truth: string;
  dlt: Outcome;
  tap_rest: Outcome;
  awaits?: string;
}
interface Results {
  dlt_version: string;
  measured: string;
  cases: Row[];
}

/** Writes the case's definition into `dir`; returns its name there (both runners run in `dir`, so errors name no temporary path). */
function writeDefinition(dir: string, c: Case, base: string): string {
  const def = c.definition(base);
  const file = `${c.id}.${c.format === 'yaml' ? 'yaml' : 'json'}`;
  writeFileSync(join(dir, file), c.format === 'yaml' ? stringify(def) : JSON.stringify(def, null, 2));
  return file;
}

/** Error lines name the mock's URL, whose port changes from run to run. */
function portless(x: Extracted, origin: string): Extracted {
  return x.error ? { ...x, error: x.error.split(origin).join('http://mock') } : x;
}

/** dlt over every case, in one Python process (dlt's import is the slow part). */
async function runDlt(python: string, dir: string, files: Map<string, string>): Promise<Map<string, Extracted>> {
  const input = join(dir, 'dlt-cases.json');
  writeFileSync(input, JSON.stringify(CASES.map((c) => ({
    id: c.id, definition_file: files.get(c.id), resources: Object.keys(c.truth),
    // A loop is cut after four times the records there are.
    max_records: 4 * Object.values(c.truth).reduce((n, r) => n + r.length, 0) + 20,
  }))));
  const out = await run(python, [join(ROOT, 'test/interop/dlt-diff/dlt_runner.py'), input], { cwd: dir, env: { DLT_DATA_DIR: join(dir, 'dlt-data'), DLT_PROJECT_DIR: dir } });
  expect(out.code, out.stderr).toBe(0);
  const results = new Map<string, Extracted>();
  for (const line of out.stdout.split('\n').filter(Boolean)) {
    const r = JSON.parse(line) as { id: string; records: Record<string, Rec[]>; error: string | null };
    results.set(r.id, { records: r.records, error: r.error });
  }
  return results;
}

/** tap-rest over one case: its RECORD messages by stream, or its CRITICAL line. */
async function runTapRest(dir: string, c: Case, file: string): Promise<Extracted> {
  const config = join(dir, `${c.id}.config.json`);
  writeFileSync(config, JSON.stringify({ source: file }));
  const out = await run('timeout', ['120', join(ROOT, 'bin/tap-rest'), '--config', config], { cwd: dir });
  const records: Record<string, Rec[]> = {};
  for (const line of out.stdout.split('\n').filter(Boolean)) {
    const m = JSON.parse(line) as { type: string; stream?: string; record?: Rec };
    if (m.type === 'RECORD' && m.stream && m.record) (records[m.stream] ??= []).push(m.record);
  }
  if (out.code === 0) return { records };
  const critical = out.stderr.split('\n').find((l) => l.includes('CRITICAL'));
  const error = critical ? critical.replace(/^.*CRITICAL\s+/, '') : out.code === 124 ? 'did not finish in 120 s' : `exit ${out.code}: ${out.stderr.trim().split('\n').at(-1) ?? ''}`;
  return { records, error };
}

async function pool<T, R>(items: T[], size: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(Array.from({ length: size }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await work(items[i] as T);
    }
  }));
  return out;
}

describe.skipIf(skip)('tap-rest against dlt rest_api (differential)', () => {
  let pg: Playground;
  const rows = new Map<string, Row>();
  let dltVersion = '';

  beforeAll(async () => {
    if (!env) return;
    pg = await startPlayground({ port: 0, seed: 1, token: 'unused', scale: 1, factories: [diffMock] });
    const base = `${pg.url}/diff/`;
    const dir = tempDir('dlt-diff');
    const files = new Map(CASES.map((c) => [c.id, writeDefinition(dir, c, base)]));
    const version = await run(env.dltPython, ['-c', 'import dlt; print(dlt.__version__)']);
    dltVersion = version.stdout.trim();
    const [dlt, tap] = await Promise.all([
      runDlt(env.dltPython, dir, files),
      pool(CASES, TAP_CONCURRENCY, (c) => runTapRest(dir, c, files.get(c.id) as string)),
    ]);
    CASES.forEach((c, i) => {
      const row: Row = {
        id: c.id, group: c.group, what: c.what, truth: describeTruth(c.truth),
        dlt: judge(c.truth, portless(dlt.get(c.id) ?? { records: {}, error: 'no result from the dlt runner' }, pg.url)),
        tap_rest: judge(c.truth, portless(tap[i] as Extracted, pg.url)),
      };
      if (c.awaits) row.awaits = c.awaits.fix;
      rows.set(c.id, row);
    });
  }, 600_000);

  afterAll(async () => {
    await pg?.close();
  });

  for (const c of CASES) {
    // An awaited kit fix: expected to fail today; it fails the suite once tap-rest gets it right.
    const test = c.awaits ? it.fails : it;
    test(`${c.group}: ${c.id}${c.awaits ? ` (awaits the kit's ${c.awaits.fix}: ${c.awaits.why})` : ''}`, () => {
      const row = rows.get(c.id) as Row;
      expect(row.tap_rest.summary, `tap-rest on ${c.id}`).toBe(row.truth);
      expect(row.tap_rest.right).toBe(true);
    });
  }

  it('measures what test/interop/dlt-diff/results.json (the README table) says', () => {
    const measured: Results = { dlt_version: dltVersion, measured: new Date().toISOString().slice(0, 10), cases: CASES.map((c) => rows.get(c.id) as Row) };
    if (process.env.DLT_DIFF_WRITE) writeFileSync(RESULTS, `${JSON.stringify(measured, null, 2)}\n`);
    const recorded = JSON.parse(readFileSync(RESULTS, 'utf8')) as Results;
    expect({ ...measured, measured: recorded.measured }, 'stale: rerun with DLT_DIFF_WRITE=1, then npm run gen:docs').toEqual(recorded);
  });
});
