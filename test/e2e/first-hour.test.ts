/**
 * What a new user meets in the first hour, on the real binaries: --help (the environment variables
 * and the exit codes, words whole), file errors in words, no library warning on stderr, and Ctrl-C
 * in a pipe exiting 130 as the README's Command line section documents.
 */
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { binPath, logLines, runTap, startPlayground, TempFiles, type PlaygroundProcess } from './helpers.js';

let tmp: TempFiles;
beforeAll(() => { tmp = new TempFiles('first-hour-'); });
afterAll(() => tmp?.cleanup());

describe('--help', () => {
  it('names LOGLEVEL, LOG_FORMAT and every exit code; no word is cut', async ({ expect }) => {
    const run = await runTap('tap-betterstack', ['--help'], { json: false });
    expect(run.code).toBe(0);
    for (const text of ['LOGLEVEL', 'LOG_FORMAT', 'Exit codes:', '  0 ', '  1 ', '  2 ', '130', '143']) expect(run.stdout).toContain(text);
    for (const line of run.stdout.split('\n')) expect(line.length).toBeLessThanOrEqual(100);
    // The words yargs used to cut at the column's edge.
    expect(run.stdout).toMatch(/\senvironment variables\s/);
    expect(run.stdout).toMatch(/\s\(--test=schema\)\s/);
  });
});

describe('file errors say what is wrong in words', () => {
  it.each([
    ['--config', 'missing.json', 'not found'],
    ['--config', '.', 'is a folder'],
    ['--catalog', 'missing.json', 'not found'],
    ['--catalog', '.', 'is a folder'],
    ['--state', 'missing.json', 'not found'],
  ])('%s %s: %s', async (flag, name, words) => {
    const file = name === '.' ? tmp.dir : tmp.path(name);
    const config = flag === '--config' ? [] : ['--config', tmp.json('config.json', { api_key: 'k', base_url: 'http://127.0.0.1:9' })];
    const run = await runTap('tap-betterstack', [...config, flag, file], { json: false });
    expect(run.code).toBe(1);
    expect(logLines(run.stderr, 'CRITICAL')).toEqual([expect.stringContaining(`${flag} ${file}: ${words}`)]);
    expect(run.stderr).not.toMatch(/ENOENT|EISDIR/);
  });
});

describe('library warnings never reach the user', () => {
  it('a YAML definition with a collection as a key: one CRITICAL line, no "Keys with collection values" warning', async ({ expect }) => {
    const def = tmp.text('collection-key.yaml', 'resources:\n  - name: things\n    endpoint:\n      path: /things\n? [a, b]\n: 1\n');
    const run = await runTap('tap-rest', ['--config', tmp.json('rest.json', { source: def, base_url: 'http://127.0.0.1:9' }), '--discover'], { json: false });
    expect(run.code).toBe(1);
    expect(run.stderr).not.toMatch(/Keys with collection values|Warning:/);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe('Ctrl-C in a pipe', () => {
  let pg: PlaygroundProcess;
  beforeAll(async () => { pg = await startPlayground({ scale: 100 }); });
  afterAll(async () => { await pg?.stop(); });

  it('the target stops first (its stdin closes), then the tap: exit 130, a WARN line, no CRITICAL', async ({ expect }) => {
    const config = tmp.json('pg.json', { bearer_token: pg.token, base_url: pg.url });
    // tap | target, the tap's stdout the target's stdin, as a shell pipe wires them.
    const target = spawn('cat', [], { stdio: ['pipe', 'ignore', 'ignore'] });
    const tap = spawn(process.execPath, [binPath('tap-playground'), '--config', config], { stdio: ['ignore', target.stdin!, 'pipe'] });
    target.stdin!.destroy();
    let stderr = '';
    let interrupted = false;
    tap.stderr!.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
      // Ctrl-C while records flow: the terminal signals both; the target is gone before the tap writes again.
      if (/ sync of /.test(stderr) && !interrupted) {
        interrupted = true;
        setTimeout(() => {
          target.kill('SIGINT');
          target.once('exit', () => setTimeout(() => tap.kill('SIGINT'), 20));
        }, 300);
      }
    });
    const code = await new Promise<number | null>((resolve) => tap.on('close', (c) => resolve(c)));
    expect(code, stderr.slice(-2000)).toBe(130);
    expect(logLines(stderr, 'CRITICAL')).toEqual([]);
    expect(stderr).toMatch(/SIGINT/);
  });
});
