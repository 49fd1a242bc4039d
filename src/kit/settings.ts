import { readFileSync } from 'node:fs';
import { isJsonObject, schemaTypes, type JsonObject, type JsonSchema, type JsonValue } from './json.js';
import { UserError } from './errors.js';
import { parseJsonFile } from './jsontext.js';
import type { Ajv } from 'ajv';
import { describeAjvError } from './record-validator.js';
import { fileProblem } from './file-errors.js';

/** A tap's settings: a JSON Schema object whose properties are the settings. */
export interface SettingsSchema extends JsonSchema {
  type: 'object';
  properties: Record<string, JsonSchema>;
  required?: string[];
}

/** Settings every tap gets from the kit, as the Meltano SDK's built-ins. */
export function builtinSettings(tapName: string, version: string): Record<string, JsonSchema> {
  return {
    request_timeout: { type: 'integer', minimum: 1, default: 300, description: 'Seconds before an HTTP request is abandoned (and retried).' },
    max_retries: { type: 'integer', minimum: 0, default: 5, description: 'Retries of a request that failed with 429, 5xx, a timeout or a reset, with exponential backoff and jitter; `Retry-After` is honoured.' },
    retry_backoff_seconds: { type: 'number', exclusiveMinimum: 0, default: 1, description: 'Wait before the first retry, in seconds; doubles with each retry (x4 for a 429 without `Retry-After`), with jitter, at most 60 s.' },
    user_agent: { type: 'string', default: `${tapName}/${version}`, description: 'User-Agent header of every request.' },
    error_policy: { type: 'string', enum: ['fail', 'skip'], default: 'fail', description: '`fail`: a record that does not fit its schema, or a child partition answered with a client error (404...), stops the run. `skip`: it is skipped with a WARN line and a `skipped_count` METRIC, the bookmark stays before it, and a FULL_TABLE stream that skipped anything (or whose parent did) does not activate its version.' },
    emit_activate_version_messages: { type: 'boolean', default: false, description: 'For FULL_TABLE streams, emit ACTIVATE_VERSION so the target can remove rows that disappeared at the source.' },
    max_parallel_requests: { type: 'integer', minimum: 1, maximum: 64, default: 8, description: 'Requests in flight at once, across the whole tap (pages with a computable position, child partitions, streams). 8 hides a slow API\'s latency and stays below what APIs commonly tolerate; the server\'s rate-limit headers and 429s slow every request further. 1: one request at a time.' },
    max_parallel_streams: { type: 'integer', minimum: 1, maximum: 64, default: 4, description: 'Top-level streams (each with its children) read at once; they share `max_parallel_requests`. Output stays in order within each stream.' },
    max_requests_per_second: { type: 'number', exclusiveMinimum: 0, description: 'Request attempts per second across the whole tap. Unset: no fixed rate; `RateLimit-Remaining` / `X-RateLimit-Remaining` headers are still respected before a 429.' },
  };
}

/** Environment variable names for `--config=ENV`: `TAP_X_SETTING_NAME`. */
export function envName(tapName: string, setting: string): string {
  return `${tapName}_${setting}`.replace(/[^A-Za-z0-9]+/g, '_').toUpperCase();
}

function parseEnvValue(raw: string, schema: JsonSchema): JsonValue {
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

/** Reads `--config` files in order (later wins); `ENV` reads `<TAP>_<SETTING>` environment variables. */
/**
 * Each config file's text, read once per process: a tap that builds itself from its settings (tap-rest)
 * loads the config more than once, and a `--config <(...)` pipe can be read only once.
 */
const configTexts = new Map<string, string>();

function readConfigText(source: string): string {
  let text = configTexts.get(source);
  if (text === undefined) {
    text = readFileSync(source, 'utf8');
    configTexts.set(source, text);
  }
  return text;
}

export function loadConfig(sources: readonly string[], tapName: string, schema: SettingsSchema, env: NodeJS.ProcessEnv = process.env): JsonObject {
  const config: JsonObject = {};
  for (const source of sources) {
    if (source === 'ENV') {
      for (const [name, prop] of Object.entries(schema.properties)) {
        const raw = env[envName(tapName, name)];
        if (raw !== undefined) config[name] = parseEnvValue(raw, prop);
      }
      continue;
    }
    let text: string;
    try {
      text = readConfigText(source);
    } catch (error) {
      throw new UserError(`--config ${source}: ${fileProblem(error)}`);
    }
    const parsed = parseJsonFile(text, `--config ${source}`);
    if (!isJsonObject(parsed)) throw new UserError(`--config ${source}: the config must be a JSON object of settings`);
    Object.assign(config, parsed);
  }
  return config;
}

/**
 * Validates config against the settings schema and fills defaults, with the caller's ajv (created with
 * `useDefaults`: validateSettings in settings-validate.ts, or the command line, which loads ajv only when it
 * validates). Every problem is one line naming the setting; `requireAll: false` (discovery)
 * tolerates missing required settings.
 */
export function validateSettingsWith(ajv: Ajv, config: JsonObject, schema: SettingsSchema, tapName: string, options: { requireAll: boolean }): { settings: JsonObject; unknown: string[] } {
  const settings: JsonObject = structuredClone(config);
  for (const [k, v] of Object.entries(settings)) {
    if (v === null || v === '') delete settings[k];
    // A date where a date-time is asked for (`start_date: 2025-01-01`, Meltano's date kind) is its midnight UTC.
    else if (schema.properties[k]?.format === 'date-time' && typeof v === 'string' && /^\d{4}-\d\d-\d\d$/.test(v)) settings[k] = `${v}T00:00:00Z`;
  }
  const checked: SettingsSchema = options.requireAll ? schema : { ...schema, required: [] };
  const validate = ajv.compile(checked);
  if (!validate(settings)) {
    const lines = (validate.errors ?? []).map((e) => {
      const name = e.instancePath.split('/')[1] ?? '';
      const line = `config: ${describeAjvError(e, settings, 'setting', schema.properties[name]?.secret === true)}`;
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
