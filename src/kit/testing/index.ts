/**
 * The Singer conformance suite: runs any tap's command (any language) and checks what it prints.
 * `conformance(options)` runs every check and returns the report; `registerConformance({it,
 * describe}, options)` makes one test per check in vitest or node:test; `conformanceTests` gives
 * the checks as plain async functions.
 */
export { conformance, CHECK_IDS } from './suite.js';
export { conformanceTests, registerConformance, type ConformanceTest, type LazyOptions, type RegisterOptions, type ItFunction, type DescribeFunction } from './test-runner.js';
export { formatTable, summaryLine } from './table.js';
export type { CheckResult, CheckStatus, ConformanceOptions, ConformanceReport } from './types.js';
