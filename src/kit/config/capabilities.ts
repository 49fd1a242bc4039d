import type { JsonSchema } from '../core/json.js';

/**
 * The Meltano SDK's plugin capabilities the kit gives every tap, with the SDK's setting names:
 * stream maps, schema flattening, BATCH messages (and structured logging, set by environment).
 */
export const SDK_CAPABILITIES = ['stream-maps', 'schema-flattening', 'batch', 'structured-logging'] as const;

export function capabilitySettings(): Record<string, JsonSchema> {
  return {
    stream_maps: {
      type: 'object',
      description: 'Stream maps, as in the Meltano SDK: per stream name (or glob), `property: "<expression>"` to compute, `property: null` to remove, `__alias__`, `__filter__`, `__source__`, `__key_properties__`, `__else__: null`; a stream mapped to null is dropped.',
    },
    stream_map_config: { type: 'object', description: 'Values for stream map expressions, read as `config` (e.g. a hash salt).' },
    faker_config: {
      type: 'object',
      description: 'The `fake` object of stream map expressions: `seed` (same fake values on every run) and `locale` (e.g. `de_DE`).',
      properties: { seed: { type: ['number', 'string', 'boolean', 'null'] }, locale: { type: ['string', 'array'], items: { type: 'string' } } },
    },
    flattening_enabled: { type: 'boolean', description: 'Flatten nested objects into `parent__child` columns (after stream maps); arrays and undeclared objects become JSON text.' },
    flattening_max_depth: { type: 'integer', minimum: 0, description: 'Levels of nested objects flattened (required when flattening is enabled).' },
    flattening_separator: { type: 'string', minLength: 1, default: '__', description: 'Separator of flattened column names.' },
    flattening_max_key_length: { type: 'integer', minimum: 1, default: 255, description: 'Longest flattened column name; longer names are abbreviated as the SDK does.' },
    batch_config: {
      type: 'object',
      description: 'Write records to JSONL files and BATCH messages instead of RECORD messages: `{"encoding": {"format": "jsonl", "compression": "gzip"}, "storage": {"root": "file:///dir", "prefix": "..."}, "batch_size": 10000}`.',
      properties: {
        encoding: {
          type: 'object',
          properties: { format: { type: 'string', enum: ['jsonl'] }, compression: { type: 'string', enum: ['gzip', 'none'] } },
        },
        storage: {
          type: 'object',
          properties: { root: { type: 'string', description: 'A file:// folder URL.' }, prefix: { type: 'string' } },
          required: ['root'],
        },
        batch_size: { type: 'integer', minimum: 1 },
      },
      required: ['storage'],
    },
  };
}

/** Names of the settings above (a group of their own in `--about --format markdown`). */
export const CAPABILITY_SETTINGS: ReadonlySet<string> = new Set(Object.keys(capabilitySettings()));
