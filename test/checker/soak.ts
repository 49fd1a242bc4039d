/**
 * `npm run soak`: the checker over many scenarios, a random seed unless given.
 *
 *   npm run soak -- [--seed N] [--scenario N] [--runs N] [--include-known]
 *
 * --seed: the first scenario's seed (default: random); scenarios use seed, seed+1, ...
 * --scenario: run only this one seed (what a failure's reproduction line says)
 * --runs: how many scenarios (default 50)
 * --include-known: also draw streams that meet a known open defect (F4 without a start filter)
 * --file: run the scenario of a findings file (test/checker/findings/*.json) instead, --runs times
 * Prints one line per scenario, the seed and a reproduction command for each failure, and a summary.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { runScenario, type Report } from './chain.js';
import { generate, knownIn, topology, type Scenario } from './scenario.js';

const { values } = parseArgs({
  options: {
    seed: { type: 'string' },
    scenario: { type: 'string' },
    runs: { type: 'string' },
    'include-known': { type: 'boolean', default: false },
    parallel: { type: 'string' },
    file: { type: 'string' },
  },
});
const fromFile = values.file !== undefined ? (JSON.parse(readFileSync(values.file, 'utf8')) as { scenario: Scenario }).scenario : undefined;
const includeKnown = values['include-known'] ?? false;
const first = fromFile ? fromFile.seed : values.scenario !== undefined ? Number(values.scenario) : values.seed !== undefined ? Number(values.seed) : Math.floor(Math.random() * 1e9);
const count = values.scenario !== undefined && !fromFile ? 1 : Number(values.runs ?? 50);
const parallel = Math.max(1, Number(values.parallel ?? 2));
if (!Number.isInteger(first) || !Number.isInteger(count) || count < 1) {
  console.error('usage: npm run soak -- [--seed N] [--scenario N] [--runs N] [--include-known] [--parallel N]');
  process.exit(1);
}
console.log(`soak: ${fromFile ? `${values.file}, ` : ''}seeds ${first}..${first + count - 1}${includeKnown ? ' (known open defects included)' : ''}`);

const reports: Report[] = [];
const failures: Report[] = [];
let nextSeed = first;
async function worker(): Promise<void> {
  while (nextSeed < first + count) {
    const seed = nextSeed++;
    const scenario = fromFile ? { ...fromFile, seed } : generate(seed, { includeKnown });
    let report: Report;
    try {
      report = await runScenario(scenario);
    } catch (error) {
      report = { seed, topology: topology(scenario), runs: 0, interruptions: {}, faults: 0, mutations: 0, records: 0, duplicates: 0, lost: 0, violations: [{ kind: 'exit', stream: '-', detail: String(error).slice(0, 600) }], ms: 0 };
    }
    reports.push(report);
    const known = knownIn(scenario);
    const cuts = Object.entries(report.interruptions).map(([k, n]) => `${k}x${n}`).join(',') || 'none';
    console.log(`${report.violations.length === 0 ? 'ok  ' : 'FAIL'} seed ${seed} (${(report.ms / 1000).toFixed(1)} s) ${report.topology} | ${JSON.stringify(scenario.settings)} | runs ${report.runs}, interruptions ${cuts}, faults ${report.faults}, changes ${report.mutations}, records ${report.records}, duplicates ${report.duplicates}, lost ${report.lost}${known.length ? ` [known: ${known.join(',')}]` : ''}`);
    if (report.violations.length > 0) {
      failures.push(report);
      for (const v of report.violations.slice(0, 6)) console.log(`     ${v.kind} ${v.stream}: ${v.detail}`);
      console.log(`     reproduce: npm run soak -- ${fromFile ? `--file ${values.file} --seed ${seed} --runs 1` : `--scenario ${seed}${includeKnown ? ' --include-known' : ''}`}`);
    }
  }
}
await Promise.all(Array.from({ length: parallel }, worker));

const sum = (f: (r: Report) => number) => reports.reduce((n, r) => n + f(r), 0);
const topologies = new Set(reports.flatMap((r) => r.topology.split(' ; ')));
const byKind: Record<string, number> = {};
for (const r of reports) for (const [k, n] of Object.entries(r.interruptions)) byKind[k] = (byKind[k] ?? 0) + (n ?? 0);
console.log(`summary: ${reports.length} scenarios, ${topologies.size} stream topologies, ${sum((r) => r.runs)} tap runs, ${sum((r) => Object.values(r.interruptions).reduce((a, b) => a + (b ?? 0), 0))} interruptions (${Object.entries(byKind).map(([k, n]) => `${k} ${n}`).join(', ')}), ${sum((r) => r.faults)} transient faults, ${sum((r) => r.mutations)} changes while paging, ${sum((r) => r.records)} records, ${sum((r) => r.duplicates)} duplicates, records lost: ${sum((r) => r.lost)}, failing scenarios: ${failures.length}${failures.length ? ` (seeds ${failures.map((f) => f.seed).join(', ')})` : ''}`);
process.exit(failures.length > 0 ? 1 : 0);
