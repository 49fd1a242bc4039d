import type { FromSchema, JSONSchema } from 'json-schema-to-ts';
import { isJsonObject } from '../core/json.js';
import type { SettingsSchema } from './settings.js';

/** A tap's settings schema as written in its declaration (read-only, literal types kept). */
export interface SettingsDeclaration {
  readonly type: 'object';
  readonly properties: { readonly [name: string]: Exclude<JSONSchema, boolean> };
  readonly required?: readonly string[];
}

/**
 * A tap's settings as TypeScript sees them, inferred from its settings schema: the schema is the one
 * source. A setting with a `default` is present (the kit fills defaults before a tap sees settings).
 */
export type SettingsOf<T extends JSONSchema> = FromSchema<T>;

/**
 * Declares a tap's settings schema and keeps its literal type, so `SettingsOf<typeof settings>` is the
 * settings type (no `as const` needed): `const settings = defineSettings({ type: 'object', ... })`.
 */
export function defineSettings<const T extends SettingsDeclaration>(schema: T): T {
  return schema;
}

/** A declaration as the kit's JSON Schema type; a declaration that is not an object schema is a tap author's mistake. */
export function settingsSchemaOf(declared: SettingsDeclaration | SettingsSchema, tapName: string): SettingsSchema {
  if (!isSettingsSchema(declared)) throw new Error(`${tapName}: settings must be an object schema with properties`);
  return declared;
}

function isSettingsSchema(value: unknown): value is SettingsSchema {
  return isJsonObject(value) && value.type === 'object' && isJsonObject(value.properties);
}
