import { spawn } from 'node:child_process';

/** A finished run of the tap: exit code or signal, both outputs in full, and whether the time limit stopped it. */
export interface TapRun {
  /** The arguments given after the tap's command (for messages). */
  args: readonly string[];
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  /** The run could not start at all (command not found, not executable): why. */
  spawnError?: string;
  /** Wall-clock start, epoch ms. */
  startedAt: number;
}

export interface RunOptions {
  timeoutSeconds: number;
  cwd?: string;
  env?: Readonly<Record<string, string | undefined>>;
}

/** Stopped with SIGTERM at the time limit, then SIGKILL if it still runs this much later. */
const KILL_GRACE_MS = 5_000;

function environment(extra: Readonly<Record<string, string | undefined>> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const [name, value] of Object.entries(extra)) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  return env;
}

/** Runs `command args...` (no shell) to completion, with stdin closed; never rejects. */
export function runTap(command: readonly string[], args: readonly string[], options: RunOptions): Promise<TapRun> {
  const [file, ...leading] = command;
  const startedAt = Date.now();
  const run: TapRun = { args, code: null, signal: null, stdout: '', stderr: '', timedOut: false, startedAt };
  if (!file) return Promise.resolve({ ...run, spawnError: 'no tap command given' });
  return new Promise((resolve) => {
    const child = spawn(file, [...leading, ...args], { cwd: options.cwd, env: environment(options.env), stdio: ['ignore', 'pipe', 'pipe'] });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    let killer: NodeJS.Timeout | undefined;
    const timer = setTimeout(() => {
      run.timedOut = true;
      child.kill('SIGTERM');
      killer = setTimeout(() => child.kill('SIGKILL'), KILL_GRACE_MS);
    }, options.timeoutSeconds * 1000);
    const finish = () => {
      clearTimeout(timer);
      clearTimeout(killer);
      run.stdout = Buffer.concat(stdout).toString('utf8');
      run.stderr = Buffer.concat(stderr).toString('utf8');
      resolve(run);
    };
    child.once('error', (error: NodeJS.ErrnoException) => {
      run.spawnError = `cannot run ${file}: ${error.code === 'ENOENT' ? 'not found' : error.code === 'EACCES' ? 'not executable' : error.message}`;
      finish();
    });
    child.once('close', (code, signal) => {
      run.code = code;
      run.signal = signal;
      finish();
    });
  });
}

/** `exit 0`, `exit 1`, `killed by SIGTERM`, `stopped after 300 s`, or why it did not start. */
export function exitText(run: TapRun, timeoutSeconds: number): string {
  if (run.spawnError) return run.spawnError;
  if (run.timedOut) return `stopped after the ${timeoutSeconds} s time limit`;
  if (run.signal) return `killed by ${run.signal}`;
  return `exit ${run.code}`;
}

/** The last non-empty stderr lines, for a failure's details. */
export function stderrTail(run: TapRun, lines = 3): string {
  return run.stderr.split('\n').map((l) => l.trim()).filter(Boolean).slice(-lines).join(' | ');
}
