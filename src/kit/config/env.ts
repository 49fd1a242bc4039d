import { schemaTypes, type JsonSchema, type JsonValue } from '../core/json.js';

/** Environment variable names for `--config=ENV`: `TAP_X_SETTING_NAME`. */
export function envName(tapName: string, setting: string): string {
  return `${tapName}_${setting}`.replace(/[^A-Za-z0-9]+/g, '_').toUpperCase();
}

export function parseEnvValue(raw: string, schema: JsonSchema): JsonValue {
  const types = schemaTypes(schema);
  if (types.includes('integer') || types.includes('number')) {
    const n = Number(raw);
    if (raw.trim() !== '' && Number.isFinite(n)) return n;
  }
  if (types.includes('boolean') && /^(true|false|1|0)$/i.test(raw)) return /^(true|1)$/i.test(raw);
  if (types.includes('array') || types.includes('object')) {
    try {
      return JSON.parse(raw) as JsonValue;
    } catch {
      return types.includes('array') ? raw.split(',').map((s) => s.trim()) : raw;
    }
  }
  return raw;
}
