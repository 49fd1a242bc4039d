import type { CheckStatus } from './types.js';

const MAX_DETAILS = 50;

/** The outcome of a check before it is named: a status, one line, and the problems behind it. */
export interface Outcome {
  status: CheckStatus;
  reason: string;
  details: string[];
}

/** Problems a check collects as it reads a run: failures, and warnings that do not fail it. */
export class Findings {
  readonly failures: string[] = [];
  readonly warnings: string[] = [];
  private failureCount = 0;
  private warningCount = 0;

  fail(problem: string): void {
    if (this.failures.length < MAX_DETAILS) this.failures.push(problem);
    this.failureCount++;
  }

  warn(problem: string): void {
    if (this.warnings.length < MAX_DETAILS) this.warnings.push(problem);
    this.warningCount++;
  }

  /** Adds another check's findings (a prefix says where they come from). */
  merge(other: Findings, prefix = ''): void {
    other.failures.forEach((p) => this.fail(prefix + p));
    other.warnings.forEach((p) => this.warn(prefix + p));
  }

  get failed(): boolean {
    return this.failureCount > 0;
  }

  /** Fail with the first failure, else warn with the first warning, else pass with `passReason`. */
  outcome(passReason: string): Outcome {
    if (this.failureCount > 0) return { status: 'fail', reason: summary(this.failures, this.failureCount), details: this.failures };
    if (this.warningCount > 0) return { status: 'warn', reason: summary(this.warnings, this.warningCount), details: this.warnings };
    return { status: 'pass', reason: passReason, details: [] };
  }
}

function summary(problems: string[], count: number): string {
  return count > 1 ? `${problems[0]} (and ${count - 1} more)` : (problems[0] as string);
}

export const pass = (reason: string): Outcome => ({ status: 'pass', reason, details: [] });
export const fail = (reason: string, details: string[] = [reason]): Outcome => ({ status: 'fail', reason, details });
export const skip = (reason: string): Outcome => ({ status: 'skip', reason, details: [] });

/** `1 record`, `3 records`. */
export function counted(n: number, singular: string, plural = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : plural}`;
}
