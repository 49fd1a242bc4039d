import type { JsonObject, JsonValue } from '../core/json.js';

export type Converter = (value: JsonValue) => JsonValue;

/**
 * One function that runs every field's converter on a record, in place, a value written back only
 * when converted. Generated per schema, as ajv generates its validators: each field is read by its
 * name written out (`out["updated_at"]`), so every read and every converter call has one shape to
 * learn, where a loop over the fields made each a lookup by a changing key (about twice the cost per
 * record). Names are written as JSON string literals. Only for schemas whose field names plain
 * objects do not inherit (`constructor`, `__proto__` are read as own properties elsewhere).
 */
export function compileFieldConverters(converters: ReadonlyArray<readonly [string, Converter]>): (out: JsonObject) => void {
  if (converters.length === 0) return () => undefined;
  const lines = converters.map(([name], i) => {
    const key = JSON.stringify(name);
    return `v = out[${key}]; if (v !== undefined && v !== null) { c = convert[${i}](v); if (c !== v) out[${key}] = c; }`;
  });
  const make = new Function('convert', `return function convertFields(out) {\n  let v, c;\n  ${lines.join('\n  ')}\n};`) as (convert: Converter[]) => (out: JsonObject) => void;
  return make(converters.map(([, convert]) => convert));
}
