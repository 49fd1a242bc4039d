/** Values and errors every part of the kit uses: JSON, own fields, time, text. */
export * from './errors.js';
export * from './json.js';
export * from './jsontext.js';
export * from './own.js';
export * from './text.js';
export * from './time.js';
export * from './file-errors.js';
