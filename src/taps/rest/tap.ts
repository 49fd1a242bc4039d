import {
  UserError, builtinSettings, buildCatalog, defineTap, fieldOf, runConfig, setField, type ClientConfig, type CliArgs, type JsonSchema, type LoadedConfig, type Logger, type SettingsSchema, type Tap, type TapFactory,
} from '@singer-io-compatible/tap-kit';
import { VERSION } from '../version.js';
import { buildAuth } from './auth.js';
import type { RestApiDefinition } from './definition.js';
import { catalogSchemas, completeSchema, inferSchemas, readSchemaCache, replicationKind, widenSchemaCache, withoutMovedCursor, writeSchemaCache } from './discover.js';
import { loadDefinition } from './load.js';
import { configReferences, isSecretName, resolveConfig } from './placeholders.js';
import { compileResources, positionalWithoutFilter } from './resources.js';
import { BASE_SETTINGS, type RestSettings } from './settings.js';
import { checkParentFields } from './parent-fields.js';
import { unnestLists } from './unnest.js';

const NAME = 'tap-rest';
const DESCRIPTION = 'Declarative REST: runs a dlt rest_api definition (JSON or YAML) as a Singer tap.';

function settingsSchema(references: Iterable<string>): SettingsSchema {
  const properties: Record<string, JsonSchema> = { ...BASE_SETTINGS.properties };
  const required = [...(BASE_SETTINGS.required ?? [])];
  for (const name of references) {
    if (fieldOf(properties, name)) continue;
    setField(properties, name, { type: 'string', description: 'Referenced by the definition as `{config.' + name + '}`.', ...(isSecretName(name) ? { secret: true } : {}) });
    required.push(name);
  }
  return { ...BASE_SETTINGS, properties, required };
}

/** The tap for `--about`/`--help` without a definition: settings only, no streams. */
function bare(): Tap<RestSettings> {
  return defineTap<RestSettings>({
    name: NAME, description: DESCRIPTION, version: VERSION, catalogDir: new URL('../../../catalogs/rest/', import.meta.url),
    settings: BASE_SETTINGS, client: () => { throw new UserError("config: setting 'source' is required"); }, streams: [],
  });
}

/** Whether this run may sample the API for schemas the definition, the catalog and the cache do not give (not for --about/--version). */
function needsInference(args: CliArgs): boolean {
  return !args.about && !args.version;
}

async function build({ args, log, config }: { args: CliArgs; log: Logger; config: LoadedConfig }): Promise<Tap<RestSettings>> {
  const first = config.values(BASE_SETTINGS);
  if (first.source === undefined || first.source === null || first.source === '') {
    if (args.about || args.version) return bare();
    throw new UserError(`config: setting 'source' is required: a dlt rest_api definition file (JSON or YAML) or the definition itself (set it in a --config file or as TAP_REST_SOURCE with --config=ENV)`);
  }
  const { definition: raw, label } = loadDefinition(first.source);
  const references = configReferences(raw);
  const schema = settingsSchema(references);
  const settings = { ...config.values(schema) } as RestSettings;
  const builtins = builtinSettings(NAME, VERSION);
  for (const [k, p] of Object.entries(builtins)) if (settings[k] === undefined && p.default !== undefined) settings[k] = p.default;
  for (const name of references) if (isSecretName(name)) log.redactor.add(fieldOf(settings, name));
  const definition = resolveConfig<RestApiDefinition>(raw, settings);
  const plans = compileResources(definition, label);
  if (needsInference(args)) {
    for (const p of plans) {
      if (positionalWithoutFilter(p.endpoint)) log.warn(`stream '${p.stream.name}': row_order asc read by positions with no start filter: a row updated while the list is read can be skipped and the bookmark pass it; give the API's filter as incremental.start_param (or a '{incremental.start_value}' param) so pages are asked from the last value`);
    }
  }
  const baseUrl = settings.base_url || definition.client?.base_url;
  // One client for sampling and syncing: an OAuth2 token fetched for discovery serves the sync too.
  let built: ClientConfig | undefined;
  const client = (): ClientConfig => {
    if (built) return built;
    if (!baseUrl) throw new UserError(`${label}: client.base_url is not set (or set the base_url setting)`);
    for (const name of references) if (fieldOf(settings, name) === undefined || fieldOf(settings, name) === '') throw new UserError(`config: setting '${name}' is required (the definition references {config.${name}})`);
    built = { baseUrl, auth: buildAuth(definition.client?.auth, label), ...(definition.client?.headers ? { headers: definition.client.headers } : {}) };
    // Credentials written into the definition itself are secrets too.
    for (const secret of built.auth.secrets) log.redactor.add(secret);
    return built;
  };

  // Schemas: the definition's own, then the catalog being synced, then the cache, then inference.
  const schemas = new Map<string, JsonSchema>();
  for (const p of plans) if (p.resource.schema) schemas.set(p.stream.name, completeSchema(p, p.resource.schema as JsonSchema));
  const fromCatalog = args.discover ? new Map<string, JsonSchema>() : catalogSchemas(args.catalog ?? args.properties);
  const cacheFile = typeof settings.schema_cache === 'string' && settings.schema_cache !== '' ? settings.schema_cache : undefined;
  const cached = cacheFile ? readSchemaCache(cacheFile) : new Map<string, JsonSchema>();
  for (const p of plans) {
    const s = schemas.get(p.stream.name) ?? fromCatalog.get(p.stream.name) ?? cached.get(p.stream.name);
    if (s) schemas.set(p.stream.name, withoutMovedCursor(p, s));
  }
  const missing = new Set(plans.map((p) => p.stream.name).filter((n) => !schemas.has(n)));
  const unsampled = new Set<string>();
  if (missing.size && needsInference(args)) {
    const run = runConfig(settings, { type: 'object', properties: builtins });
    const inferred = await inferSchemas({ plans, client: client(), settings, run, log, wanted: missing });
    for (const [name, s] of inferred.schemas) if (missing.has(name)) schemas.set(name, s);
    for (const name of inferred.empty) unsampled.add(name);
  }
  for (const name of missing) if (!schemas.has(name)) unsampled.add(name);
  checkParentFields(plans, schemas, unsampled, label);
  for (const p of plans) {
    const s = schemas.get(p.stream.name) ?? completeSchema(p, { type: 'object', properties: {} });
    p.stream.schema = s;
    p.kind = replicationKind(p, s);
  }
  const nested = unnestLists(plans, Number(settings.max_table_nesting ?? 0));
  const tap = defineTap<RestSettings>({
    name: NAME, description: DESCRIPTION, version: VERSION, catalogDir: new URL('../../../catalogs/rest/', import.meta.url),
    settings: schema, client, streams: [...plans.map((p) => p.stream), ...nested],
    // As dlt evolves its schema: a field no sample had widens the stream's schema (a new SCHEMA
    // message before the record), and the schema_cache learns it for the next run.
    widenSchemas: (stream, added) => { if (cacheFile) widenSchemaCache(cacheFile, stream, added); },
  });
  if (cacheFile && missing.size && needsInference(args)) writeSchemaCache(cacheFile, buildCatalog(tap.shapes));
  return tap;
}

export const tapRest: TapFactory<RestSettings> = { name: NAME, description: DESCRIPTION, build };
