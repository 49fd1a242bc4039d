/**
 * The checker's fixed seeds, run with `npm test`: each seed is a generated source, a chain of
 * interrupted tap-rest runs resumed from their last STATE, and the checks (test/checker/chain.ts).
 * The seeds were chosen to cover every topology and interruption, and to include the scenarios that
 * found issue 15's defects 1-3 with each fix reverted (FINDINGS.md). Known open losses (findings/*.json)
 * are left out: they are skipped below until their fix lands.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runScenario } from './chain.js';
import { generate, knownIn, type Scenario } from './scenario.js';

/** Seeds of `generate` (streams meeting a known open defect are drawn again). */
export const SEEDS = [1, 5, 36, 161, 305];

/** At most this many scenarios at once (each runs one tap process at a time); a test waits for its turn, so its timeout is generous. */
const PARALLEL = 3;
let running = 0;
const waiting: Array<() => void> = [];
async function slot<T>(work: () => Promise<T>): Promise<T> {
  if (running >= PARALLEL) await new Promise<void>((resolve) => waiting.push(resolve));
  running++;
  try {
    return await work();
  } finally {
    running--;
    waiting.shift()?.();
  }
}

async function check(scenario: Scenario): Promise<void> {
  const report = await slot(() => runScenario(scenario));
  const lines = report.violations.map((v) => `${v.kind} ${v.stream}: ${v.detail}`);
  expect(lines, `seed ${scenario.seed} (${report.topology}); reproduce: npm run soak -- --scenario ${scenario.seed}`).toEqual([]);
  expect(report.lost).toBe(0);
  expect(report.runs).toBeGreaterThanOrEqual(3);
}

describe.concurrent('checker: fixed seeds', () => {
  for (const seed of SEEDS) {
    it(`seed ${seed}`, async () => {
      const scenario = generate(seed);
      expect(knownIn(scenario)).toEqual([]);
      await check(scenario);
    }, 300_000);
  }
});

const FINDINGS = path.join(path.dirname(fileURLToPath(import.meta.url)), 'findings');
describe('checker: known open losses (findings/*.json)', () => {
  for (const file of readdirSync(FINDINGS).filter((f) => f.endsWith('.json')).sort()) {
    const finding = JSON.parse(readFileSync(path.join(FINDINGS, file), 'utf8')) as { title: string; scenario: Scenario };
    // Fixed findings must pass; F4 without a start filter stays open (tap-rest warns), so it is skipped.
    const open = file.startsWith('F4-asc-page-number-no-filter');
    (open ? it.skip : it)(`${file}: ${finding.title}`, async () => {
      await check(finding.scenario);
    }, 300_000);
  }
});
