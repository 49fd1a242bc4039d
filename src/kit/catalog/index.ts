/** The Singer catalog: metadata derived from declarations, selection. */
export * from './catalog.js';
