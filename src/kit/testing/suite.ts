import type { Check } from './check.js';
import { BAD_CONFIG_CHECKS } from './checks-bad-config.js';
import { CLI_CHECKS } from './checks-cli.js';
import { DISCOVERY_CHECKS } from './checks-discovery.js';
import { RESUME_CHECKS } from './checks-resume.js';
import { SECRET_CHECKS } from './checks-secrets.js';
import { SELECTION_CHECKS } from './checks-selection.js';
import { SYNC_CHECKS } from './checks-sync.js';
import { TEST_MODE_CHECKS } from './checks-test-mode.js';
import { fail, skip, type Outcome } from './findings.js';
import { Session } from './session.js';
import type { CheckResult, ConformanceOptions, ConformanceReport } from './types.js';

/** Every check, in the order they are reported (the secrets check reads every run, so it comes last). */
export const CHECKS: readonly Check[] = [
  ...CLI_CHECKS, ...DISCOVERY_CHECKS, ...SYNC_CHECKS, ...RESUME_CHECKS, ...SELECTION_CHECKS, ...TEST_MODE_CHECKS,
  ...BAD_CONFIG_CHECKS, ...SECRET_CHECKS,
];

/** The ids of every check, in order. */
export const CHECK_IDS: readonly string[] = CHECKS.map((c) => c.id);

/** Runs one check of a session; a check that throws is a failure that says so. */
export async function runCheck(check: Check, session: Session): Promise<CheckResult> {
  let outcome: Outcome;
  if (session.options.skipChecks?.includes(check.id)) outcome = skip('skipped as asked');
  else {
    try {
      outcome = await check.run(session);
    } catch (error) {
      outcome = fail(`the check itself failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return { id: check.id, title: check.title, ...outcome };
}

/** Checks the options a caller gave; throws an Error naming the first bad one. */
export function validateOptions(options: ConformanceOptions): void {
  if (!Array.isArray(options.command) || options.command.length === 0) throw new Error('conformance: `command` must name the tap to run (e.g. ["bin/tap-acme"])');
  const unknown = (options.skipChecks ?? []).filter((id) => !CHECK_IDS.includes(id));
  if (unknown.length > 0) throw new Error(`conformance: unknown check ${unknown.map((id) => `'${id}'`).join(', ')} (checks: ${CHECK_IDS.join(', ')})`);
  if (options.timeoutSeconds !== undefined && !(options.timeoutSeconds > 0)) throw new Error('conformance: `timeoutSeconds` must be a positive number');
}

/**
 * Runs the whole conformance suite on a tap (any Singer tap, in any language: it only runs the
 * command and reads its output) and returns every check's result. Never throws for what the tap
 * does; `report.ok` is false when a check failed.
 */
export async function conformance(options: ConformanceOptions, onResult?: (result: CheckResult) => void): Promise<ConformanceReport> {
  validateOptions(options);
  const session = new Session(options);
  try {
    // Every check at once (the session bounds the runs), but the last, which reads every run.
    const pending = CHECKS.slice(0, -1).map((check) => runCheck(check, session));
    const results: CheckResult[] = [];
    for (const promise of pending) {
      const result = await promise;
      onResult?.(result);
      results.push(result);
    }
    for (const check of CHECKS.slice(-1)) {
      const result = await runCheck(check, session);
      onResult?.(result);
      results.push(result);
    }
    return { command: options.command, results, ok: results.every((r) => r.status !== 'fail') };
  } finally {
    session.files.remove();
  }
}
