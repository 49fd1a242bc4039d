import { fieldOf, setField, type JsonSchema } from '@singer-io-compatible/tap-kit';
import type { ColumnHint } from './definition.js';

/** dlt data types as JSON Schema (what target-postgres makes of them: text, double, bigint, boolean, timestamp, date, time, jsonb, numeric). */
const DLT_TYPES: Record<string, JsonSchema> = {
  text: { type: 'string' },
  double: { type: 'number' },
  bigint: { type: 'integer' },
  bool: { type: 'boolean' },
  timestamp: { type: 'string', format: 'date-time' },
  date: { type: 'string', format: 'date' },
  time: { type: 'string', format: 'time' },
  json: { type: ['object', 'array'] },
  decimal: { type: 'number' },
  wei: { type: 'number' },
  binary: { type: 'string', contentEncoding: 'base64' },
};

/** One `columns` hint as a property schema; nullable unless the hint says `nullable: false` (dlt's default too). */
export function columnSchema(hint: ColumnHint): JsonSchema | undefined {
  const base = hint.data_type ? DLT_TYPES[hint.data_type] : undefined;
  if (!base) return hint.description ? { description: hint.description } : undefined;
  const types = Array.isArray(base.type) ? base.type : [base.type as string];
  const out: JsonSchema = { ...base, type: hint.nullable === false ? (types.length === 1 ? types[0] : types) : [...types, 'null'] };
  if (hint.description) out.description = hint.description;
  return out;
}

/** The inferred schema with the hints applied: a hinted column has the hinted type, a hinted column the sample lacked is added. */
export function applyColumns(schema: JsonSchema, columns: Record<string, ColumnHint> | undefined): JsonSchema {
  if (!columns) return schema;
  const properties: Record<string, JsonSchema> = { ...schema.properties };
  for (const [name, hint] of Object.entries(columns)) {
    const hinted = columnSchema(hint);
    if (hinted) setField(properties, name, { ...fieldOf(properties, name), ...hinted });
  }
  return { ...schema, properties };
}
