/** Records and their schemas: selection, validation, conforming, inference, item helpers. */
export * from './infer.js';
export * from './jsonapi.js';
export * from './record-validator.js';
export * from './schema.js';
export * from './validate.js';
export * from './wrapped.js';
