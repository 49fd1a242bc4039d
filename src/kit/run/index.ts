/** A sync run: the stream plan, the scheduler, the stream runner, bookmarks and STATE. */
export * from './errorpolicy.js';
export * from './options.js';
export * from './ordered.js';
export * from './read-ahead.js';
export * from './sample.js';
export * from './scheduler.js';
export * from './state.js';
export * from './stream-plan.js';
export * from './stream-runner.js';
export * from './sync.js';
export * from './tie-guard.js';
