import type { JsonObject, JsonSchema } from '../core/json.js';

/** One output stream of a tap stream: its name, schema and keys, and what becomes of each record. */
export interface OutputStream {
  name: string;
  schema: JsonSchema;
  keyProperties: string[];
  /** The output record, or null when it is filtered out. */
  record: (record: JsonObject) => JsonObject | null;
}

/** A transformation of tap streams into output streams (none: the stream is dropped). */
export interface StreamStage {
  outputs(stream: string, schema: JsonSchema, keyProperties: string[]): OutputStream[];
}
