import type { CheckResult, ConformanceReport } from './types.js';

const MARK: Record<CheckResult['status'], string> = { pass: 'pass', fail: 'FAIL', skip: 'skip', warn: 'warn' };

/** `17 checks: 14 passed, 1 warned, 2 skipped, 0 failed`. */
export function summaryLine(report: ConformanceReport): string {
  const count = (status: CheckResult['status']) => report.results.filter((r) => r.status === status).length;
  return `${report.results.length} checks: ${count('pass')} passed, ${count('warn')} warned, ${count('skip')} skipped, ${count('fail')} failed`;
}

/**
 * The report as a table, one check per row (id, status, one-line reason, cut to `width`: default
 * 120 columns, `Infinity` for whole reasons), then
 * the summary; with `verbose`, every problem of a failed or warned check under its row.
 */
export function formatTable(report: ConformanceReport, options: { width?: number; verbose?: boolean } = {}): string {
  const width = options.width ?? 120;
  const idWidth = Math.max(5, ...report.results.map((r) => r.id.length));
  const fit = (text: string, room: number) => (text.length > room && room > 1 ? `${text.slice(0, room - 1)}…` : text);
  const lines = [`${'check'.padEnd(idWidth)}  result  reason`];
  for (const r of report.results) {
    const head = `${r.id.padEnd(idWidth)}  ${MARK[r.status].padEnd(6)}  `;
    lines.push(head + fit(r.reason, Math.max(20, width - head.length)));
    if (options.verbose && (r.status === 'fail' || r.status === 'warn')) {
      for (const detail of r.details.length > 1 ? r.details : []) lines.push(`${' '.repeat(idWidth + 10)}- ${detail}`);
    }
  }
  lines.push('', summaryLine(report));
  return `${lines.join('\n')}\n`;
}
