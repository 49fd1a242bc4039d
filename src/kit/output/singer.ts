import type { JsonObject, JsonSchema, JsonValue } from '../core/json.js';

/** The Singer messages a tap writes. */
export interface SchemaMessage {
  type: 'SCHEMA';
  stream: string;
  schema: JsonSchema;
  key_properties: string[];
  bookmark_properties?: string[];
}
export interface RecordMessage {
  type: 'RECORD';
  stream: string;
  record: JsonObject;
  time_extracted?: string;
  version?: number;
}
export interface StateMessage {
  type: 'STATE';
  value: JsonValue;
}
export interface ActivateVersionMessage {
  type: 'ACTIVATE_VERSION';
  stream: string;
  version: number;
}
/** Records in files (the SDK's BATCH extension): one message per set of files. */
export interface BatchMessage {
  type: 'BATCH';
  stream: string;
  encoding: { format: 'jsonl'; compression: 'gzip' | 'none' };
  manifest: string[];
}
export type SingerMessage = SchemaMessage | RecordMessage | StateMessage | ActivateVersionMessage | BatchMessage;
