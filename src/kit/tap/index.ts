/** A tap's declaration: defineTap and the stream kinds (rest, childRows). */
export * from './stream.js';
export * from './tap.js';
