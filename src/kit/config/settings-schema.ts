import type { JsonSchema } from '../core/json.js';

/** A tap's settings: a JSON Schema object whose properties are the settings. */
export interface SettingsSchema extends JsonSchema {
  type: 'object';
  properties: Record<string, JsonSchema>;
  required?: string[];
}
