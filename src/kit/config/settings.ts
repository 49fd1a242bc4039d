import { schemaTypes, type JsonObject, type JsonSchema, type JsonValue } from '../core/json.js';
import { UserError } from '../core/errors.js';
import type { ValidateFunction } from 'ajv';
import { describeAjvError } from '../records/record-validator.js';

/** A tap's settings: a JSON Schema object whose properties are the settings. */
/** Which settings a config is checked against: the tap's full schema, its name (for `<TAP>_<SETTING>` hints), and whether required settings must be there (a sync) or not (discovery, --about). */
export interface SettingsCheck {
  schema: SettingsSchema;
  tapName: string;
  requireAll: boolean;
}

export interface SettingsSchema extends JsonSchema {
  type: 'object';
  properties: Record<string, JsonSchema>;
  required?: string[];
}

/** The built-in settings' defaults: their one source (the schema below, and a client made without a run). */
export const BUILTIN_DEFAULTS = {
  request_timeout: 300,
  max_retries: 5,
  retry_backoff_seconds: 1,
  max_parallel_requests: 8,
  max_parallel_streams: 4,
} as const;

/** Settings every tap gets from the kit, as the Meltano SDK's built-ins. */
export function builtinSettings(tapName: string, version: string): Record<string, JsonSchema> {
  return {
    request_timeout: { type: 'integer', minimum: 1, default: BUILTIN_DEFAULTS.request_timeout, description: 'Seconds before an HTTP request is abandoned (and retried).' },
    max_retries: { type: 'integer', minimum: 0, default: BUILTIN_DEFAULTS.max_retries, description: 'Retries of a request that failed with 429, 5xx, a timeout or a reset, with exponential backoff and jitter; `Retry-After` is honoured.' },
    retry_backoff_seconds: { type: 'number', exclusiveMinimum: 0, default: BUILTIN_DEFAULTS.retry_backoff_seconds, description: 'Wait before the first retry, in seconds; doubles with each retry (x4 for a 429 without `Retry-After`), with jitter, at most 60 s.' },
    user_agent: { type: 'string', default: `${tapName}/${version}`, description: 'User-Agent header of every request.' },
    error_policy: { type: 'string', enum: ['fail', 'skip'], default: 'fail', description: '`fail`: a record that does not fit its schema, or a child partition answered with a client error (404...), stops the run. `skip`: it is skipped with a WARN line and a `skipped_count` METRIC, the bookmark stays before it, and a FULL_TABLE stream that skipped anything (or whose parent did) does not activate its version.' },
    emit_activate_version_messages: { type: 'boolean', default: false, description: 'For FULL_TABLE streams, emit ACTIVATE_VERSION so the target can remove rows that disappeared at the source.' },
    max_parallel_requests: { type: 'integer', minimum: 1, maximum: 64, default: BUILTIN_DEFAULTS.max_parallel_requests, description: 'Requests in flight at once, across the whole tap (pages with a computable position, child partitions, streams). 8 hides a slow API\'s latency and stays below what APIs commonly tolerate; the server\'s rate-limit headers and 429s slow every request further. 1: one request at a time.' },
    max_parallel_streams: { type: 'integer', minimum: 1, maximum: 64, default: BUILTIN_DEFAULTS.max_parallel_streams, description: 'Top-level streams (each with its children) read at once; they share `max_parallel_requests`. Output stays in order within each stream.' },
    max_requests_per_second: { type: 'number', exclusiveMinimum: 0, description: 'Request attempts per second across the whole tap. Unset: no fixed rate; `RateLimit-Remaining` / `X-RateLimit-Remaining` headers are still respected before a 429.' },
  };
}

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

/** What validateSettingsWith needs of ajv: `compile` (an Ajv, or the validators compiled at build time: settings-check.ts). */
export interface SettingsCompiler {
  compile(schema: SettingsSchema): ValidateFunction;
}

/**
 * Validates config against the settings schema and fills defaults, with the caller's ajv (created with
 * `useDefaults`: validateSettings in settings-validate.ts, or checkSettings in settings-check.ts, which
 * loads ajv only when the bundle has no validator compiled for the schema). Every problem is one line
 * naming the setting; `requireAll: false` (discovery) tolerates missing required settings.
 */
export function validateSettingsWith(ajv: SettingsCompiler, config: JsonObject, check: SettingsCheck): { settings: JsonObject; unknown: string[] } {
  const { schema, tapName } = check;
  const settings: JsonObject = structuredClone(config);
  for (const [k, v] of Object.entries(settings)) {
    if (v === null || v === '') delete settings[k];
    // A date where a date-time is asked for (`start_date: 2025-01-01`, Meltano's date kind) is its midnight UTC.
    else if (schema.properties[k]?.format === 'date-time' && typeof v === 'string' && /^\d{4}-\d\d-\d\d$/.test(v)) settings[k] = `${v}T00:00:00Z`;
  }
  const checked: SettingsSchema = check.requireAll ? schema : { ...schema, required: [] };
  const validate = ajv.compile(checked);
  if (!validate(settings)) {
    const lines = (validate.errors ?? []).map((e) => {
      const name = e.instancePath.split('/')[1] ?? '';
      const line = `config: ${describeAjvError(e, settings, { label: 'setting', hideValue: schema.properties[name]?.secret === true })}`;
      if (e.keyword !== 'required') return line;
      const missing = String((e.params as { missingProperty?: string }).missingProperty);
      return `${line} (set it in a --config file or as ${envName(tapName, missing)} with --config=ENV)`;
    });
    throw new UserError([...new Set(lines)].join('\n'));
  }
  const unknown = Object.keys(config).filter((k) => !(k in schema.properties));
  return { settings, unknown };
}

/** Names of settings marked `secret: true` (redacted everywhere, `sensitive` in Meltano). */
export function secretSettings(schema: SettingsSchema): string[] {
  return Object.entries(schema.properties).filter(([, p]) => p.secret === true).map(([k]) => k);
}
