/** The Singer command line: arguments, --about, exit codes and signals. */
export * from './about.js';
export * from './cli.js';
export * from './selection.js';
