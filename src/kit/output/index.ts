/** The output chain between the sync and stdout: the writer, stream maps, flattening, BATCH. */
export * from './batch.js';
export * from './flatten.js';
export * from './messages.js';
export * from './output.js';
export * from './singer.js';
export * from './sink.js';
export * from './stage.js';
