/**
 * Every tap `tap-kit new` offers builds and passes its own tests: each authentication with each
 * pagination (REST streams), each authentication of a GraphQL stream, and the generic stream (JSON
 * Lines files), scaffolded by the real command into one workspace. They share one
 * install (the repository's node_modules, which hold the kit, TypeScript and @types/node) and one
 * TypeScript process (`tsc -b` over their tsconfigs); then each runs its own test file with node's
 * test runner, as its `npm test` does, two at a time.
 */
import { execFile } from 'node:child_process';
import { readFileSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, TempFiles } from './helpers.js';
import { AUTH_NAMES } from '../../src/kit/scaffold/auth-choices.js';
import { PAGING_NAMES } from '../../src/kit/scaffold/paging-choices.js';

const run = promisify(execFile);
const TAP_KIT = path.join(ROOT, 'src/kit/bin/tap-kit.js');
const TSC = path.join(ROOT, 'node_modules/typescript/bin/tsc');

const short = (auth: string) => auth.replace('oauth2-client-credentials', 'oauth2');
/** The flags of each tap (`--stream`, and `--auth`, `--paging` where the kind takes them) and its name. */
const COMBINATIONS = [
  ...AUTH_NAMES.flatMap((auth) => PAGING_NAMES.map((paging) => ({ flags: ['--stream', 'rest', '--auth', auth, '--paging', paging], name: `tap-${short(auth)}-${paging}` }))),
  ...AUTH_NAMES.map((auth) => ({ flags: ['--stream', 'graphql', '--auth', auth], name: `tap-graphql-${short(auth)}` })),
  { flags: ['--stream', 'generic'], name: 'tap-generic' },
].map((c) => ({ ...c, label: c.flags.join(' ') }));

/** At most `limit` of the tasks at once (two cores). */
function limiter(limit: number): <T>(task: () => Promise<T>) => Promise<T> {
  let active = 0;
  const waiting: Array<() => void> = [];
  return async (task) => {
    while (active >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    active++;
    try {
      return await task();
    } finally {
      active--;
      waiting.shift()?.();
    }
  };
}
const twoAtATime = limiter(2);

let tmp: TempFiles;
const dirOf = (name: string) => tmp.path(name);

beforeAll(async () => {
  tmp = new TempFiles('scaffold-combinations-');
  await Promise.all(COMBINATIONS.map(({ flags, name }) => twoAtATime(async () => {
    await run(process.execPath, [TAP_KIT, 'new', name, '--dir', dirOf(name), ...flags], { cwd: tmp.dir });
    symlinkSync(path.join(ROOT, 'node_modules'), path.join(dirOf(name), 'node_modules'), 'dir');
  })));
  // One TypeScript process builds them all (each into its own dist/, as its `npm run build` does).
  try {
    await run(process.execPath, [TSC, '-b', ...COMBINATIONS.map(({ name }) => path.join(dirOf(name), 'tsconfig.json'))], { cwd: tmp.dir, maxBuffer: 16 * 1024 * 1024 });
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string };
    throw new Error(`the scaffolded taps do not build:\n${e.stdout ?? ''}${e.stderr ?? ''}`);
  }
}, 180_000);
afterAll(() => tmp?.cleanup());

describe.concurrent('every tap tap-kit new scaffolds passes its own tests', () => {
  it.each(COMBINATIONS)('$label', { timeout: 180_000 }, async ({ flags, name }) => {
    const dir = dirOf(name);
    const tapSource = readFileSync(path.join(dir, 'src/tap.ts'), 'utf8');
    // A page of declarations: the kit's stream kind, auth and paginator, nothing hand-written.
    expect(tapSource).toMatch(new RegExp(`^import \\{ defineTap, defineSettings, ${flags[1]}, [a-zA-Z0-9, ]+, type SettingsOf \\} from '@singer-io-compatible/tap-kit';$`, 'm'));
    expect(readFileSync(path.join(dir, 'README.md'), 'utf8')).toContain(`tap-kit new ${name} ${flags.join(' ')}\``);
    const result = await twoAtATime(async () => {
      try {
        const { stdout } = await run(process.execPath, ['--test', '--test-reporter=tap', 'test/tap.test.mjs'], { cwd: dir, maxBuffer: 16 * 1024 * 1024 });
        return { code: 0, stdout };
      } catch (error) {
        const e = error as { code?: number; stdout?: string; stderr?: string };
        return { code: e.code ?? -1, stdout: `${e.stdout ?? ''}${e.stderr ?? ''}` };
      }
    });
    expect(result.code, result.stdout).toBe(0);
    expect(result.stdout).toMatch(/^# pass 4$/m);
    expect(result.stdout).toMatch(/^# fail 0$/m);
  });
});
