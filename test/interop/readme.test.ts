// The README's "Running a tap" commands, run exactly as written (read from README.md), in a copy of
// this clone (its files as git sees them, before any install), against the playground, real
// PostgreSQL, target-postgres and Meltano: the docs cannot drift from what works.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dirname, join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { ROOT, requireInterop, startPlayground, run, tempDir, writeJson, query, createDatabase, targetConfig, type Playground } from './support.js';

const { env, skip } = requireInterop();
const TOKEN = 'readme-secret-token';

/** The ```sh blocks of the README's "Running a tap" section, in order. */
function readmeBlocks(): string[] {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Running a tap'), readme.indexOf('## Command line'));
  return [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1] as string);
}

/** A fresh clone's files: what git tracks (and what is new but not ignored), without node_modules or dist. */
function copyOfClone(): string {
  const clone = tempDir('readme-clone');
  const files = execFileSync('git', ['ls-files', '-co', '--exclude-standard', '-z'], { cwd: ROOT, encoding: 'utf8' });
  execFileSync('bash', ['-c', `cd "${ROOT}" && tar --null -T - -cf - | tar -xf - -C "${clone}"`], { input: files });
  return clone;
}

describe.skipIf(skip)('README: Running a tap', () => {
  let pg: Playground;
  let clone: string;
  let dir: string;
  let shellEnv: NodeJS.ProcessEnv;
  const db = 'interop_readme';
  const blocks = readmeBlocks();
  const sh = (script: string, extra: NodeJS.ProcessEnv = {}) => run('bash', ['-e', '-c', script], { cwd: dir, env: { ...shellEnv, ...extra } });
  const monitors = (schema: string) => Number(query<{ n: number }>(env!, db, `select count(*)::int as n from ${schema}.monitors`)[0]?.n);

  beforeAll(async () => {
    if (!env) return;
    pg = await startPlayground(TOKEN);
    clone = copyOfClone();
    dir = tempDir('readme');
    createDatabase(env, db);
    writeJson(dir, 'betterstack.json', { api_key: TOKEN, base_url: pg.url });
    writeJson(dir, 'pg.json', targetConfig(env, db, 'betterstack'));
    // The user's PATH: the global npm prefix (a temporary one: `npm install -g` lands there) and the
    // target; nothing of the clone.
    const prefix = tempDir('npm-global');
    shellEnv = { npm_config_prefix: prefix, PATH: `${join(prefix, 'bin')}:${dirname(env.targetPostgres)}:${process.env.PATH ?? ''}` };
  });
  afterAll(() => pg?.stop());

  it('has the four blocks', () => {
    expect(blocks).toHaveLength(4);
  });

  it('0. the install step, in the clone, puts the taps on PATH (npx finds them too)', { timeout: 900_000 }, async () => {
    const installed = await run('bash', ['-e', '-c', blocks[0] as string], { cwd: clone, env: shellEnv });
    expect(installed.code, installed.stderr.slice(-3000)).toBe(0);
    const version = await sh('tap-betterstack --version && npx --no-install tap-rest --version');
    expect(version.code, version.stderr).toBe(0);
    expect(version.stdout).toMatch(/^tap-betterstack \S+ .*\ntap-rest /);
  });

  it('1. plain pipe: discover, then sync into target-postgres', async () => {
    const result = await sh(blocks[1] as string);
    expect(result.code, result.stderr.slice(-2000)).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'catalog.json'), 'utf8')).streams).toHaveLength(9);
    expect(monitors('betterstack')).toBe(520);
  });

  it('2. with a state file: the second run is incremental and the state file moves forward', async () => {
    writeJson(dir, 'pg.json', targetConfig(env!, db, 'stateful'));
    const first = await sh(blocks[2] as string);
    expect(first.code, first.stderr.slice(-2000)).toBe(0);
    const state1 = JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8')) as { bookmarks: Record<string, { replication_key_value?: string }> };
    expect(state1.bookmarks.monitors?.replication_key_value).toBeDefined();
    expect(monitors('stateful')).toBe(520);

    await fetch(`${pg.url}/__playground/mutate?count=3`, { method: 'POST' });
    // The block starts with `echo '{}' > state.json` (first run only): run the rest, as a user would.
    const again = (blocks[2] as string).split('\n').filter((l) => !l.startsWith("echo '{}'")).join('\n');
    const second = await sh(again);
    expect(second.code, second.stderr.slice(-2000)).toBe(0);
    expect(second.stderr).toMatch(/"stream":"monitors"/); // target-postgres logs what it loaded
    const state2 = JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8')) as typeof state1;
    expect(Date.parse(state2.bookmarks.monitors!.replication_key_value!)).toBeGreaterThan(Date.parse(state1.bookmarks.monitors!.replication_key_value!));
    expect(monitors('stateful')).toBe(520);
    const fresh = query<{ n: number }>(env!, db, `select count(*)::int as n from stateful.monitors where updated_at > '${state1.bookmarks.monitors!.replication_key_value}'`)[0]?.n;
    expect(fresh).toBe(3);
  });

  it('2b. a failing run leaves the state file as it was', async () => {
    const before = readFileSync(join(dir, 'state.json'), 'utf8');
    writeJson(dir, 'betterstack.json', { api_key: 'wrong-key', base_url: pg.url });
    const again = (blocks[2] as string).split('\n').filter((l) => !l.startsWith("echo '{}'")).join('\n');
    const failed = await sh(again);
    expect(failed.code).not.toBe(0);
    expect(readFileSync(join(dir, 'state.json'), 'utf8')).toBe(before);
    writeJson(dir, 'betterstack.json', { api_key: TOKEN, base_url: pg.url });
  });

  it('3. under Meltano, in the clone (the wheels built there, installed by pip_url)', { timeout: 900_000 }, async () => {
    const project = clone;
    const result = await run('bash', ['-e', '-c', blocks[3] as string], {
      cwd: project,
      env: {
        ...shellEnv,
        PATH: `${dirname(env!.meltano)}:${shellEnv.PATH ?? ''}`,
        BETTERSTACK_API_KEY: TOKEN,
        MELTANO_SEND_ANONYMOUS_USAGE_STATS: 'false',
        TAP_BETTERSTACK_BASE_URL: pg.url,
        TARGET_POSTGRES_HOST: env!.pgHost,
        TARGET_POSTGRES_PORT: String(env!.pgPort),
        TARGET_POSTGRES_USER: env!.pgUser,
        TARGET_POSTGRES_DATABASE: db,
      },
    });
    expect(result.code, result.stderr.slice(-3000)).toBe(0);
    expect(monitors('tap_betterstack')).toBe(520);
    expect(result.stdout + result.stderr).not.toContain(TOKEN);

    // Without the test's override, the default environment talks to the real API with the key the
    // block set (kept in .env, which git ignores); the playground only when asked for.
    const meltanoEnv = { PATH: `${dirname(env!.meltano)}:${process.env.PATH ?? ''}`, MELTANO_SEND_ANONYMOUS_USAGE_STATS: 'false' };
    const config = async (environment: string) => {
      const shown = await run('meltano', [`--environment=${environment}`, 'config', '--unsafe', 'print', 'tap-betterstack', '--format=json'], { cwd: project, env: meltanoEnv });
      expect(shown.code, shown.stderr.slice(-2000)).toBe(0);
      return JSON.parse(shown.stdout) as { base_url: string; api_key: string };
    };
    const dev = await config('dev');
    expect(dev.base_url).toBe('https://uptime.betterstack.com');
    expect(dev.api_key).toBe(TOKEN);
    expect(readFileSync(join(project, '.env'), 'utf8')).toContain('TAP_BETTERSTACK_API_KEY');
    expect((await run('git', ['check-ignore', '-q', '.env'], { cwd: ROOT })).code).toBe(0);
    // The playground environment keeps its own key: the real one in .env does not reach it.
    expect(await config('playground')).toMatchObject({ base_url: 'http://127.0.0.1:5001', api_key: 'playground-token' });
    expect(readFileSync(join(project, 'meltano.yml'), 'utf8')).not.toMatch(/^version:/m);
  });
});
