// Shared plumbing of the interop tests: the tools scripts/interop-setup.sh installed, a playground,
// processes and PostgreSQL queries through psql.
import { spawn, execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync, readdirSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { startPlayground as startE2ePlayground, type PlaygroundProcess } from '../e2e/helpers.js';

export const ROOT = new URL('../..', import.meta.url).pathname.replace(/\/$/, '');

export interface InteropEnv {
  pgHost: string;
  pgPort: number;
  pgUser: string;
  targetPostgres: string;
  python: string;
  meltano: string;
  targetJsonl: string;
  /** Python of the venv holding dlt (the differential test's oracle). */
  dltPython: string;
}

/** The tools, or why they are missing. In CI a missing tool is a failure, never a skip. */
export function interopEnv(): InteropEnv | string {
  const file = join(ROOT, '.interop/env');
  if (!existsSync(file)) return 'no .interop/env: run scripts/interop-setup.sh (installs PostgreSQL, target-postgres, Meltano and dlt)';
  const env = Object.fromEntries(readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => l.split('=', 2) as [string, string]));
  const out: InteropEnv = {
    pgHost: env.INTEROP_PG_HOST ?? '127.0.0.1', pgPort: Number(env.INTEROP_PG_PORT), pgUser: env.INTEROP_PG_USER ?? 'postgres',
    targetPostgres: env.INTEROP_TARGET_POSTGRES ?? '', python: env.INTEROP_PYTHON ?? '', meltano: env.INTEROP_MELTANO ?? '',
    targetJsonl: env.INTEROP_TARGET_JSONL ?? '', dltPython: env.INTEROP_DLT_PYTHON ?? '',
  };
  for (const tool of [out.targetPostgres, out.python, out.meltano, out.targetJsonl, out.dltPython]) if (!existsSync(tool)) return `missing ${tool}: run scripts/interop-setup.sh`;
  try {
    execFileSync('psql', ['-h', out.pgHost, '-p', String(out.pgPort), '-U', out.pgUser, '-XAtc', 'select 1'], { stdio: 'pipe' });
  } catch {
    return `PostgreSQL is not answering on ${out.pgHost}:${out.pgPort}: run scripts/interop-setup.sh`;
  }
  return out;
}

/** Resolves the environment once per file; skips visibly locally, fails in CI. */
export function requireInterop(): { env: InteropEnv | undefined; skip: boolean } {
  const env = interopEnv();
  if (typeof env === 'string') {
    if (process.env.CI) throw new Error(`interop tools missing in CI: ${env}`);
    console.warn(`\n*** SKIPPING interop tests: ${env} ***\n`);
    return { env: undefined, skip: true };
  }
  return { env, skip: false };
}

/** The playground, started the way the end-to-end tests start it. */
export type Playground = PlaygroundProcess;
export const startPlayground = (token: string, args: string[] = []): Promise<Playground> => startE2ePlayground({ token, args });

export interface RunResult { code: number; stdout: string; stderr: string }

/** Runs a command to completion (no shell unless `bash -c` is the command). */
export function run(cmd: string, args: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string; input?: string } = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: options.cwd ?? ROOT, env: { ...process.env, ...options.env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    // A command that exits without reading its stdin (EPIPE) is not a failure of the test.
    child.stdin.on('error', () => {});
    child.stdin.end(options.input ?? '');
  });
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `${prefix}-`));
}

export function writeJson(dir: string, name: string, value: unknown): string {
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify(value));
  return file;
}

/** A SQL query's rows as JSON objects, through psql. */
export function query<T = Record<string, unknown>>(env: InteropEnv, database: string, sql: string): T[] {
  const out = execFileSync('psql', ['-h', env.pgHost, '-p', String(env.pgPort), '-U', env.pgUser, '-d', database, '-XAtq', '-v', 'ON_ERROR_STOP=1',
    '-c', `select coalesce(json_agg(q), '[]'::json) from (${sql}) q`], { encoding: 'utf8' });
  return JSON.parse(out) as T[];
}

export function createDatabase(env: InteropEnv, name: string): void {
  execFileSync('psql', ['-h', env.pgHost, '-p', String(env.pgPort), '-U', env.pgUser, '-XAtq', '-c', `drop database if exists ${name}`, '-c', `create database ${name}`]);
}

/**
 * A schema made ahead of parallel loads: target-postgres checks whether its schema exists, then
 * creates it, so two jobs starting at once on a new schema can both try (one fails: it exists).
 */
export function createSchema(env: InteropEnv, database: string, schema: string): void {
  execFileSync('psql', ['-h', env.pgHost, '-p', String(env.pgPort), '-U', env.pgUser, '-d', database, '-XAtq', '-v', 'ON_ERROR_STOP=1', '-c', `create schema if not exists ${schema}`]);
}

export function targetConfig(env: InteropEnv, database: string, schema: string): Record<string, unknown> {
  return { host: env.pgHost, port: env.pgPort, user: env.pgUser, password: 'unused', database, default_target_schema: schema };
}

/** The last STATE a target echoed on its stdout (the state to resume from). */
export function lastState(targetStdout: string): unknown {
  const lines = targetStdout.trim().split('\n').filter(Boolean);
  const last = lines.at(-1);
  if (!last) throw new Error('the target emitted no state');
  return JSON.parse(last);
}

/**
 * record_count metrics a tap logged, as Meltano relays them. The taps declare `structured-logging`,
 * so Meltano has them write JSON logs, parses them, and (with `meltano --log-format=json`) re-emits
 * each as a JSON event carrying the tap's `metric_info`; text `METRIC: {...}` lines (a tap without
 * the capability) are read too. `tap` matches the plugin name (and inheriting jobs, `tap--job`).
 */
export function meltanoRecordCounts(log: string, tap: string): Record<string, number> {
  const counts: Record<string, number> = {};
  const add = (metric: { metric: string; value: number; tags: { stream?: string } }) => {
    if (metric.metric === 'record_count' && metric.tags.stream) counts[metric.tags.stream] = (counts[metric.tags.stream] ?? 0) + metric.value;
  };
  for (const line of log.split('\n')) {
    if (line.startsWith('{')) {
      const event = JSON.parse(line) as { name?: string; metric_info?: { metric: string; value: number; tags: { stream?: string } } };
      if (event.metric_info && event.name?.startsWith(tap)) add(event.metric_info);
      continue;
    }
    const text = new RegExp(`${tap}\\S*[^\\n]*METRIC: (\\{.*\\})`).exec(line);
    if (text) add(JSON.parse(text[1] as string));
  }
  return counts;
}

/** Node's own commands: a PATH without them is a machine without Node. */
const NODE_COMMANDS = new Set(['node', 'nodejs', 'npm', 'npx', 'corepack']);

/**
 * This PATH without Node: one folder of links to every command on it (the first of a name wins, as
 * PATH lookup does) except node, npm, npx and corepack. `command -v node` fails under it.
 */
export function pathWithoutNode(): string {
  const dir = tempDir('path-without-node');
  const seen = new Set<string>();
  for (const folder of (process.env.PATH ?? '').split(delimiter).filter(Boolean)) {
    let names: string[];
    try {
      names = readdirSync(folder);
    } catch {
      continue;
    }
    for (const name of names) {
      if (NODE_COMMANDS.has(name) || seen.has(name)) continue;
      seen.add(name);
      symlinkSync(join(folder, name), join(dir, name));
    }
  }
  return dir;
}

/**
 * A Meltano project in a temporary folder: this repository's meltano.yml, with the wheels its
 * `pip_url`s name ($MELTANO_PROJECT_ROOT/dist/wheels, written by `npm run wheels`, which
 * `npm run test:interop` runs first) and the sample definitions tap-rest's plugins name.
 */
export function meltanoProject(prefix: string): string {
  const project = tempDir(prefix);
  if (!existsSync(join(ROOT, 'dist/wheels'))) throw new Error('no dist/wheels: run npm run wheels (npm run test:interop does)');
  copyFileSync(join(ROOT, 'meltano.yml'), join(project, 'meltano.yml'));
  mkdirSync(join(project, 'dist'));
  symlinkSync(join(ROOT, 'dist/wheels'), join(project, 'dist/wheels'));
  symlinkSync(join(ROOT, 'sample-config'), join(project, 'sample-config'));
  return project;
}
