// A tap's settings validators compiled at build time (ajv's standalone code), for its bundle:
// scripts/bundle.mjs puts this module in place of src/kit/config/settings-compiled.ts, so that
// `--discover` validates its settings without loading ajv or compiling a schema at every start-up.
//
// The ajv options are createAjv's (src/kit/records/validate.ts) with `useDefaults`, as checkSettings
// (settings-check.ts) would compile the schema at run time, except for createAjv's `date-time` fast path:
// the code refers to ajv-formats' full `date-time` rule, which accepts and refuses the same strings.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { Ajv } = require('ajv');
const addFormats = require('ajv-formats');
const standaloneCode = require('ajv/dist/standalone').default;
const { _ } = require('ajv');
const { fullFormats } = require('ajv-formats/dist/formats');
const { COMMON_URI } = await import('../src/kit/dist/records/formats.js');

/**
 * The ES module text of the table for `schema`: the schema as a sync checks it and as discovery checks
 * it (validateSettingsWith: nothing required), each by its JSON text.
 */
export function settingsValidatorsModule(schema) {
  const ajv = new Ajv({ allErrors: true, strict: false, useDefaults: true, validateFormats: true, ownProperties: false, code: { source: true, esm: true, formats: _`settingsFormats` } });
  addFormats(ajv);
  const keys = [...new Set([JSON.stringify(schema), JSON.stringify({ ...schema, required: [] })])];
  const refs = {};
  keys.forEach((key, i) => {
    ajv.addSchema(JSON.parse(key), `settings${i}`);
    refs[`settings${i}`] = `settings${i}`;
  });
  const code = standaloneCode(ajv, refs);
  const table = keys.map((key, i) => `[${JSON.stringify(key)}, settings${i}]`).join(', ');
  return `${formatsPrelude(schema)}\n${code}\nexport const COMPILED_SETTINGS_VALIDATORS = new Map([${table}]);\n`;
}

/**
 * ajv-formats' formats, except that a setting's default, which ajv fills in and then checks at every
 * start, is known to pass its format: checked here, once (ajv-formats' \`uri\` rule is a regular
 * expression that takes milliseconds to compile), and a URI of the common shape passes the kit's fast
 * path (src/kit/records/formats.ts). Any other value is checked by ajv-formats' rule.
 */
function formatsPrelude(schema) {
  const known = {};
  for (const property of Object.values(schema.properties ?? {})) {
    const { format, default: value } = property;
    const rule = fullFormats[format];
    if (typeof format !== 'string' || typeof value !== 'string' || !rule || rule instanceof RegExp) continue;
    if (!(typeof rule === 'function' ? rule(value) : rule.validate(value))) continue;
    (known[format] ??= []).push(value);
  }
  // Any URI setting of the common http(s) shape (a base_url given in the config): the kit's fast path.
  known.uri ??= [];
  const wrapped = Object.entries(known).map(([format, values]) => {
    const name = JSON.stringify(format);
    const check = typeof fullFormats[format] === 'function' ? `full[${name}]` : `full[${name}].validate`;
    const fast = format === 'uri' ? ` || ${COMMON_URI}.test(s)` : '';
    const valid = `(s) => ${JSON.stringify(values)}.includes(s)${fast} || ${check}(s)`;
    return typeof fullFormats[format] === 'function' ? `${name}: ${valid}` : `${name}: { ...full[${name}], validate: ${valid} }`;
  });
  return `const full = require("ajv-formats/dist/formats").fullFormats;\nconst settingsFormats = { ...full, ${wrapped.join(', ')} };`;
}

/** The empty table (a tap whose settings schema is known only at run time, as tap-rest's). */
export const EMPTY = 'export const COMPILED_SETTINGS_VALIDATORS = new Map();\n';
