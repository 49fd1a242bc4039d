import { existsSync } from 'node:fs';
import type { JsonSchema } from '../core/json.js';
import type { Authenticator } from '../http/auth.js';
import type { Classify } from '../http/classify.js';
import type { ResponseRule } from '../http/response-rules.js';
import { builtinSettings, type SettingsSchema } from '../config/settings.js';
import { settingsSchemaOf, type SettingsDeclaration } from '../config/settings-type.js';
import { loadSchemaFile } from '../records/schema.js';
import type { StreamShape } from '../catalog/catalog.js';
import { type StreamDef } from './stream.js';
import { pathPlaceholders, SETTING } from './path.js';
import { UserError } from '../core/errors.js';
import { capabilitySettings } from '../config/capabilities.js';
import type { TapStreamMap } from '../output/maps/tap-maps.js';

/** What every request of the tap shares. */
export interface ClientConfig {
  baseUrl: string;
  auth: Authenticator;
  headers?: Record<string, string>;
}

export interface TapDefinition<S> {
  /** Executable name, e.g. `tap-betterstack`. */
  name: string;
  description: string;
  version: string;
  /**
   * The tap's own settings as a JSON Schema; the kit adds its built-ins (request_timeout, user_agent, ...).
   * Declared with `defineSettings`, it is also the settings' type: `SettingsOf<typeof settings>`.
   */
  settings: SettingsDeclaration | SettingsSchema;
  /** Folder holding `<stream>.json` schema files: the one source of truth for record shapes. */
  catalogDir: URL;
  /** How to reach the API; a tap whose streams are all `generic` (files, a database) declares none. */
  client?: (settings: S) => ClientConfig;
  streams: Array<StreamDef<S>>;
  /** The setting holding the earliest date to extract (default `start_date`, if declared). */
  startDateSetting?: string;
  /** Sorted streams checkpoint STATE every N records (default 10,000). */
  stateCheckpointInterval?: number;
  /**
   * The tap's own stream maps, in TypeScript (stream name -> map, a list of maps for extra output
   * streams, or null to drop): applied to the output before the user's `stream_maps` setting.
   */
  maps?: Record<string, TapStreamMap | TapStreamMap[] | null>;
  /** Added to the WARN the kit gives once per stream and field a record has but its schema lacks (what to do about it). */
  unknownFieldHint?: string;
  /**
   * Schemas that were inferred from samples grow instead of dropping: a record with fields its
   * schema lacks widens the schema (the new fields' types inferred from the record, nullable) and a
   * new SCHEMA message goes out before that record. Called with the stream and the added properties
   * (a tap that caches its schemas updates its cache).
   */
  widenSchemas?: (stream: string, added: Record<string, JsonSchema>) => void;
  /** Default of the `error_policy` setting (`fail` unless the tap says its sources are known to carry bad rows). */
  errorPolicy?: 'fail' | 'skip';
  /** Classifies every stream's responses after the stream's own `classify` and `responseRules` found nothing. */
  classify?: Classify;
  /** Response rules of every stream, after the stream's own (and after the tap's `classify`). */
  responseRules?: ResponseRule[];
}

/** A tap ready to run: declaration plus resolved schemas and the full settings schema. */
export interface Tap<S> extends TapDefinition<S> {
  readonly settingsSchema: SettingsSchema;
  readonly schemas: ReadonlyMap<string, JsonSchema>;
  readonly shapes: StreamShape[];
}

const NAME = /^[a-z_0-9]+$/;

function builtins<S>(def: TapDefinition<S>): ReturnType<typeof builtinSettings> {
  const out = builtinSettings(def.name, def.version);
  if (def.errorPolicy && out.error_policy) out.error_policy = { ...out.error_policy, default: def.errorPolicy };
  return out;
}

/**
 * Every `{field}` of a stream's path must be supplied by its parent: by default a parent passes its
 * primary-key fields. A parent with its own `childContext` can only be checked when a record is read
 * (fillPath then names the stream and the placeholder).
 */
function checkPathPlaceholders<S>(def: TapDefinition<S>): void {
  for (const s of def.streams) {
    if (s.kind !== 'rest') continue;
    // `{settings.x}` is filled from the settings; a partitioned stream's fields come from its partitions.
    const needed = pathPlaceholders(s.path).filter((p) => !p.startsWith(SETTING));
    if (needed.length === 0 || (s.partitions && !s.parent)) continue;
    const parent = s.parent === undefined ? undefined : def.streams.find((p) => p.name === s.parent);
    if (!parent) {
      throw new UserError(`${def.name}: stream '${s.name}': path ${s.path}: placeholder {${needed[0]}} has nothing to fill it: the stream has no parent (a {field} is filled from the parent record's context)`);
    }
    if (parent.kind !== 'rows' && parent.childContext) continue;
    const missing = needed.filter((f) => !parent.primaryKey.includes(f));
    if (missing.length > 0) {
      throw new UserError(`${def.name}: stream '${s.name}': path ${s.path}: placeholder {${missing[0]}} is not supplied by its parent '${parent.name}', which passes its primary key (${parent.primaryKey.join(', ') || 'none'}); declare childContext on '${parent.name}' to pass other fields`);
    }
  }
}

/**
 * Turns a declaration into a tap, checking it once (names, parents, keys present in the schema)
 * so that a mistake in a declaration fails at start-up, not half-way through a sync.
 */
export function defineTap<S>(def: TapDefinition<S>): Tap<S> {
  const schemas = new Map<string, JsonSchema>();
  const names = new Set(def.streams.map((s) => s.name));
  if (names.size !== def.streams.length) throw new Error(`${def.name}: two streams share a name`);
  for (const s of def.streams) {
    if (!NAME.test(s.name)) throw new Error(`${def.name}: stream name '${s.name}' must match [a-z_0-9]+`);
    const parent = s.parent;
    if (parent && !names.has(parent)) throw new Error(`${def.name}: stream '${s.name}' names unknown parent '${parent}'`);
    if (s.kind !== 'generic' && !def.client) throw new Error(`${def.name}: stream '${s.name}' reads an API, but the tap declares no client (base URL and auth)`);
    if (parent && s.partitions) throw new Error(`${def.name}: stream '${s.name}' has a parent and partitions: a child's partitions are its parent's records`);
    let schema = s.schema;
    if (!schema) {
      const file = new URL(`${s.schemaFile ?? s.name}.json`, def.catalogDir);
      if (!existsSync(file)) throw new Error(`${def.name}: stream '${s.name}' has no schema file ${file.pathname}`);
      schema = loadSchemaFile(file);
    }
    for (const k of [...s.primaryKey, ...(s.replicationKey ? [s.replicationKey] : [])]) {
      if (!schema.properties?.[k]) throw new Error(`${def.name}: stream '${s.name}' key '${k}' is not a property of its schema`);
    }
    schemas.set(s.name, schema);
  }
  checkPathPlaceholders(def);
  for (const name of Object.keys(def.maps ?? {})) {
    if (!names.has(name)) throw new Error(`${def.name}: maps names unknown stream '${name}'`);
  }
  const declared = settingsSchemaOf(def.settings, def.name);
  const settingsSchema: SettingsSchema = {
    ...declared,
    type: 'object',
    properties: { ...declared.properties, ...builtins(def), ...capabilitySettings(), ...declared.properties },
  };
  const shapes: StreamShape[] = def.streams.map((s) => {
    const shape: StreamShape = { name: s.name, schema: schemas.get(s.name) as JsonSchema, primaryKey: s.primaryKey };
    if (s.replicationKey) shape.replicationKey = s.replicationKey;
    if (s.parent) shape.parent = s.parent;
    // A default that depends on the settings reads as "no" until settings are known (`--about`).
    if (s.selectedByDefault !== undefined && s.selectedByDefault !== true) shape.selectedByDefault = false;
    return shape;
  });
  return { ...def, settingsSchema, schemas, shapes };
}

/** The tap's streams as discovery and selection see them with these settings (defaults that depend on settings resolved). */
export function shapesFor<S>(tap: Tap<S>, settings: S): StreamShape[] {
  return tap.shapes.map((shape) => {
    const rule = tap.streams.find((s) => s.name === shape.name)?.selectedByDefault;
    if (typeof rule !== 'function') return shape;
    const { selectedByDefault: _static, ...rest } = shape;
    return rule(settings) ? rest : { ...rest, selectedByDefault: false };
  });
}
