import { CHECKS, runCheck, validateOptions } from './suite.js';
import { Session } from './session.js';
import type { CheckResult, ConformanceOptions } from './types.js';

/** One check as a test: its title, and a function that runs it (resolving to its result). */
export interface ConformanceTest {
  id: string;
  title: string;
  run(): Promise<CheckResult>;
}

/** Options, or a function giving them once the tests start (a server's URL known only in `beforeAll`). */
export type LazyOptions = ConformanceOptions | (() => ConformanceOptions | Promise<ConformanceOptions>);

/**
 * The suite as plain async functions sharing one session: each runs its check (the runs of the
 * tap it needs are made once, by whichever test needs them first). For any test runner.
 */
export function conformanceTests(options: LazyOptions): ConformanceTest[] {
  let session: Promise<Session> | undefined;
  const open = () => (session ??= Promise.resolve(typeof options === 'function' ? options() : options).then((resolved) => {
    validateOptions(resolved);
    const opened = new Session(resolved);
    process.once('exit', () => opened.files.remove());
    return opened;
  }));
  return CHECKS.map((check) => ({ id: check.id, title: check.title, run: async () => runCheck(check, await open()) }));
}

/** The test context's `skip`, as vitest (`ctx.skip(note)`) and node:test (`t.skip(message)`) both pass it. */
interface SkippableContext { skip?: (note?: string) => void }

/** A test runner's `it`/`test`: a name and an async function, optionally a timeout (vitest's third argument). */
export type ItFunction = (name: string, fn: (context?: SkippableContext) => Promise<void>, timeout?: number) => unknown;
/** A test runner's `describe`. */
export type DescribeFunction = (name: string, fn: () => void) => unknown;

export interface RegisterOptions {
  it: ItFunction;
  describe?: DescribeFunction;
  /** The describe block's name (default `Singer conformance: <command>`). */
  name?: string;
  /** Passed as `it`'s third argument (vitest: the test's timeout in ms); the first test needing a sync waits for it. */
  timeoutMs?: number;
}

/**
 * Registers one test per check with the caller's test runner (no test runner is a dependency of
 * the kit): a failed check throws with every problem it found; a skipped one is skipped through
 * the test context when the runner offers it (vitest, node:test), else passes.
 */
export function registerConformance(runner: RegisterOptions, options: LazyOptions): void {
  const tests = conformanceTests(options);
  const register = () => {
    for (const test of tests) {
      const body = async (context?: SkippableContext) => {
        const result = await test.run();
        if (result.status === 'fail') throw new Error(`${result.id}: ${result.details.join('\n  ')}`);
        if (result.status === 'skip') context?.skip?.(result.reason);
      };
      if (runner.timeoutMs === undefined) runner.it(`${test.id}: ${test.title}`, body);
      else runner.it(`${test.id}: ${test.title}`, body, runner.timeoutMs);
    }
  };
  const label = runner.name ?? `Singer conformance: ${typeof options === 'function' ? 'tap' : options.command.join(' ')}`;
  if (runner.describe) runner.describe(label, register);
  else register();
}
