import type { ValidateFunction } from 'ajv';

/**
 * Settings validators compiled at build time, by the JSON text of the schema each checks.
 * scripts/bundle.mjs replaces this module in a tap's bundle with ajv's standalone code for that tap's
 * settings schema (as a sync checks it, and as discovery does, with nothing required). Run from the
 * sources the table is empty: ajv compiles the schema (settings-check.ts).
 */
export const COMPILED_SETTINGS_VALIDATORS: ReadonlyMap<string, ValidateFunction> = new Map();
