/** Logs, METRIC lines and secret redaction on stderr. */
export * from './log.js';
export * from './logjson.js';
export * from './redact.js';
