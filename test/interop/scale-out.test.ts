// Scale-out for real: two Meltano workers (two project folders, as on two machines) share one
// PostgreSQL database as Meltano's system database, which holds the state of every job. Worker A
// and worker B run the split jobs at the same time; the state lands in PostgreSQL; then worker B
// runs the job worker A ran before, and it is incremental from A's state.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { meltanoProject, meltanoRecordCounts, requireInterop, startPlayground, run, tempDir, query, createDatabase, createSchema, type Playground } from './support.js';

const { env, skip } = requireInterop();
const TOKEN = 'scale-out-secret-token';
const WAREHOUSE = 'interop_scale_warehouse';
const SYSTEM_DB = 'interop_scale_meltano';

// The tap's metrics only (the target logs record counts too), as Meltano relays them.
const recordCounts = (log: string) => meltanoRecordCounts(log, 'tap-betterstack');

describe.skipIf(skip)('scale-out: two Meltano workers, state in PostgreSQL', () => {
  let pg: Playground;
  const workers: string[] = [];
  let workerEnv: NodeJS.ProcessEnv;
  const meltano = (worker: number, ...args: string[]) => run(env!.meltano, args, { cwd: workers[worker], env: workerEnv });

  beforeAll(async () => {
    if (!env) return;
    pg = await startPlayground(TOKEN);
    createDatabase(env, WAREHOUSE);
    // As the README's scaling section says: the shared target schema exists before parallel jobs start.
    createSchema(env, WAREHOUSE, 'betterstack');
    createDatabase(env, SYSTEM_DB);
    workerEnv = {
      MELTANO_SEND_ANONYMOUS_USAGE_STATS: 'false',
      // What the README's scaling section sets on every worker.
      MELTANO_DATABASE_URI: `postgresql+psycopg://${env.pgUser}@${env.pgHost}:${env.pgPort}/${SYSTEM_DB}`,
      MELTANO_STATE_BACKEND_URI: 'systemdb',
      TAP_BETTERSTACK_BASE_URL: pg.url,
      TAP_BETTERSTACK_API_KEY: TOKEN,
      TARGET_POSTGRES_HOST: env.pgHost,
      TARGET_POSTGRES_PORT: String(env.pgPort),
      TARGET_POSTGRES_USER: env.pgUser,
      TARGET_POSTGRES_DATABASE: WAREHOUSE,
      TARGET_POSTGRES_DEFAULT_TARGET_SCHEMA: 'betterstack',
    };
    for (const name of ['worker-a', 'worker-b']) {
      workers.push(meltanoProject(name));
    }
    for (const w of [0, 1]) {
      for (const plugins of [['loader', 'target-postgres'], ['extractor', 'tap-betterstack--monitoring', 'tap-betterstack--incidents']]) {
        const installed = await meltano(w, 'install', ...plugins);
        expect(installed.code, installed.stderr.slice(-2000)).toBe(0);
      }
    }
  });
  afterAll(() => pg?.stop());

  it('runs the split jobs on two workers at once; the state lands in PostgreSQL', async () => {
    const [a, b] = await Promise.all([
      meltano(0, '--log-format=json', 'run', 'tap-betterstack--monitoring', 'target-postgres'),
      meltano(1, '--log-format=json', 'run', 'tap-betterstack--incidents', 'target-postgres'),
    ]);
    expect(a.code, a.stderr.slice(-3000)).toBe(0);
    expect(b.code, b.stderr.slice(-3000)).toBe(0);
    expect(recordCounts(a.stderr).monitors).toBe(520);
    expect(Object.keys(recordCounts(b.stderr)).sort()).toEqual(['incident_monitor', 'incidents', 'on_call_calendars', 'on_call_users']);
    const ids = query<{ state_id: string }>(env!, SYSTEM_DB, 'select state_id from state order by 1').map((r) => r.state_id);
    expect(ids).toEqual(['dev:tap-betterstack--incidents-to-target-postgres', 'dev:tap-betterstack--monitoring-to-target-postgres']);
    expect(a.stderr + b.stderr).not.toContain(TOKEN);
  });

  it("a job run on the other worker resumes from the first worker's state", async () => {
    await fetch(`${pg.url}/__playground/mutate?count=3`, { method: 'POST' });
    const again = await meltano(1, '--log-format=json', 'run', 'tap-betterstack--monitoring', 'target-postgres');
    expect(again.code, again.stderr.slice(-3000)).toBe(0);
    const monitors = recordCounts(again.stderr).monitors ?? 0;
    expect(monitors).toBeGreaterThanOrEqual(3);
    expect(monitors).toBeLessThan(520);
    expect(Number(query<{ n: number }>(env!, WAREHOUSE, 'select count(*)::int as n from betterstack.monitors')[0]?.n)).toBe(520);
    const state = await meltano(0, 'state', 'get', 'dev:tap-betterstack--monitoring-to-target-postgres');
    expect(state.code, state.stderr).toBe(0);
    expect(JSON.parse(state.stdout).singer_state.bookmarks.monitors.replication_key).toBe('updated_at');
  });
});
