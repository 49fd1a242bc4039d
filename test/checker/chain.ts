/**
 * One scenario end to end: the generator server, a chain of interrupted runs each resumed from the
 * last STATE the one before printed (as a Singer runner does), until a run ends cleanly; then the
 * next scheduled run (no interruption, no change), and a clean run from no state against the
 * source's final content. Returns what the checks found.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { checkState, checkTarget, comparableBookmarks, statesComparable, type Violation } from './checks.js';
import { definition, tapConfig } from './definition.js';
import { Ledger } from './ledger.js';
import { Random } from './random.js';
import { runTap, type Message } from './run.js';
import { topology, type Interruption, type InterruptionKind, type Scenario } from './scenario.js';
import { startServer } from './server.js';
import { Source } from './source.js';

export interface Report {
  seed: number;
  topology: string;
  /** Tap runs, the clean one included. */
  runs: number;
  /** Interruptions applied, by kind (transient faults counted apart). */
  interruptions: Partial<Record<InterruptionKind, number>>;
  faults: number;
  mutations: number;
  records: number;
  duplicates: number;
  /** Rows of the source the target does not hold with their latest content after the runs. */
  lost: number;
  violations: Violation[];
  ms: number;
}

type Bookmarks = Record<string, Record<string, unknown>>;
/** A STATE message's value, resumed from as printed. */
type StateValue = { bookmarks?: Bookmarks };

export async function runScenario(scenario: Scenario, tap = 'tap-rest'): Promise<Report> {
  const started = performance.now();
  const rng = new Random(scenario.seed);
  const source = new Source(scenario.streams, rng.fork(1), scenario.invalidRows);
  const server = await startServer(source, rng.fork(2), { faultRate: scenario.faultRate, mutationRate: scenario.mutationRate });
  const dir = mkdtempSync(path.join(os.tmpdir(), `checker-${scenario.seed}-`));
  const batchRoot = path.join(dir, 'batches');
  mkdirSync(batchRoot);
  const file = (name: string, value: unknown): string => {
    const p = path.join(dir, name);
    writeFileSync(p, JSON.stringify(value, null, 1));
    return p;
  };
  const configs = {
    plain: file('config.json', tapConfig(scenario, file('definition.json', definition(scenario, server.url)), batchRoot)),
    failing: file('config-404.json', tapConfig(scenario, file('definition-404.json', definition(scenario, server.url, true)), batchRoot)),
  };
  const report: Report = { seed: scenario.seed, topology: topology(scenario), runs: 0, interruptions: {}, faults: 0, mutations: 0, records: 0, duplicates: 0, lost: 0, violations: [], ms: 0 };
  const ledger = new Ledger();
  /** A violation a later STATE repeats (the same rows, the same bookmark) is reported once. */
  const reported = new Set<string>();
  const violation = (v: Violation): void => {
    const key = `${v.kind}|${v.stream}|${v.detail.replace(/^[^:]*: /, '')}`;
    if (!reported.has(key)) {
      reported.add(key);
      report.violations.push(v);
    }
  };

  /** One run into `into`, from `state`; checks every STATE as it is read. */
  const run = async (label: string, into: Ledger, state: StateValue | undefined, cut?: Interruption) => {
    report.runs++;
    let last: StateValue | undefined;
    const args = ['--config', cut?.kind === 'sibling404' ? configs.failing : configs.plain];
    if (state) args.push('--state', file(`state-${report.runs}.json`, state));
    const result = await runTap({
      tap,
      args,
      ...(cut ? { interruption: cut } : {}),
      onMessage: (m: Message) => {
        into.apply(m);
        if (m.type === 'STATE') {
          last = m.value;
          checkState(last.bookmarks ?? {}, source, into, label).forEach(violation);
        }
      },
    });
    if (process.env.CHECKER_DEBUG) console.error(`  seed ${scenario.seed} ${label}: ${result.signal ?? result.code} after ${result.lines} lines, ${Math.round(result.ms)} ms, ${server.stats.requests} requests so far`);
    return { result, last: last ?? state };
  };

  try {
    let state: StateValue | undefined;
    let ended = false;
    for (let i = 0; i <= scenario.interruptions.length && !ended; i++) {
      const cut = scenario.interruptions[i];
      source.budget = scenario.mutationsPerRun;
      const { result, last } = await run(`run ${i + 1}${cut ? ` (${cut.kind} after message ${cut.afterMessages})` : ''}`, ledger, state, cut);
      state = last;
      if (result.interrupted && cut) report.interruptions[cut.kind] = (report.interruptions[cut.kind] ?? 0) + 1;
      if (result.code === 0) ended = true;
      else if (!result.interrupted || cut?.kind === 'stall') {
        report.violations.push({ kind: 'exit', stream: '-', detail: `run ${i + 1} ended with ${result.signal ?? `exit ${result.code}`} without being interrupted: ${criticalOf(result.stderr)}` });
        return finish();
      }
    }
    if (!ended) {
      report.violations.push({ kind: 'exit', stream: '-', detail: 'no run ended cleanly' });
      return finish();
    }
    // The next scheduled run: reads what changed during the last one.
    source.budget = 0;
    const next = await run('next run', ledger, state);
    state = next.last;
    if (next.result.code !== 0) report.violations.push({ kind: 'exit', stream: '-', detail: `next run: exit ${next.result.code}: ${criticalOf(next.result.stderr)}` });
    const target = checkTarget(source, ledger, 'after the resumed runs');
    report.violations.push(...target.violations);
    report.lost = target.lost;

    // A clean run from nothing against the final source: the checker's own reference.
    server.controls.faultRate = 0;
    const cleanLedger = new Ledger();
    const clean = await run('clean run', cleanLedger, undefined);
    if (clean.result.code !== 0) report.violations.push({ kind: 'clean-run', stream: '-', detail: `clean run: exit ${clean.result.code}: ${criticalOf(clean.result.stderr)}` });
    for (const v of checkTarget(source, cleanLedger, 'clean run').violations) report.violations.push({ ...v, kind: 'clean-run' });
    if (statesComparable(scenario, source) && comparableBookmarks(state?.bookmarks) !== comparableBookmarks(clean.last?.bookmarks)) {
      report.violations.push({ kind: 'final-state', stream: '-', detail: `final STATE ${comparableBookmarks(state?.bookmarks)} differs from the clean run's ${comparableBookmarks(clean.last?.bookmarks)}` });
    }
    return finish();
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }

  function finish(): Report {
    report.records = ledger.records;
    report.duplicates = ledger.duplicates;
    report.faults = Object.values(server.stats.faults).reduce((a, b) => a + b, 0);
    report.mutations = Object.values(source.mutations).reduce((a, b) => a + b, 0);
    report.ms = Math.round(performance.now() - started);
    return report;
  }
}

function criticalOf(stderr: string): string {
  const lines = stderr.split('\n').filter((l) => / CRITICAL /.test(l));
  return (lines.length > 0 ? lines.slice(0, 2) : stderr.trim().split("\n").slice(0, 8)).join(" | ").slice(0, 1200);
}
