import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import {
  HttpClient, fileProblem, SchemaInferrer, UserError, fieldOf, isJsonObject, keyKind, readCatalogFile, requestFor, retrieve, setField, singlePage,
  httpOptions, type ClientConfig, type JsonObject, type JsonSchema, type Logger, type RunConfig,
} from '@singer-io-compatible/tap-kit';
import { applyColumns } from './columns.js';
import type { ResourcePlan, RestSettings } from './resources.js';
import { missingStep, suppliesFields } from './parent-fields.js';

/** Records of a parent's sample page kept to find one that has the fields its children read. */
const SAMPLE_PARENTS = 100;

/** Reads the schemas of a `schema_cache` (a catalog written by an earlier discovery); a missing file is no cache. */
export function readSchemaCache(file: string): Map<string, JsonSchema> {
  const out = new Map<string, JsonSchema>();
  if (!existsSync(file)) return out;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new UserError(`config: setting 'schema_cache': ${file} is not valid JSON (${(error as Error).message}); delete it to discover again`);
  }
  const streams = isJsonObject(parsed) && Array.isArray(parsed.streams) ? parsed.streams : [];
  for (const s of streams) if (isJsonObject(s) && typeof s.tap_stream_id === 'string' && isJsonObject(s.schema)) out.set(s.tap_stream_id, s.schema as JsonSchema);
  return out;
}

/** Schemas from the `--catalog` being synced: the catalog is what the target was told, so it wins. */
export function catalogSchemas(file: string | undefined): Map<string, JsonSchema> {
  const out = new Map<string, JsonSchema>();
  if (!file) return out;
  for (const entry of readCatalogFile(file, '--catalog').streams) if (entry.schema) out.set(entry.tap_stream_id, entry.schema);
  return out;
}

export function writeSchemaCache(file: string, catalog: unknown): void {
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify(catalog, null, 2) + '\n');
  } catch (error) {
    throw new UserError(`config: setting 'schema_cache': cannot write ${file} (${fileProblem(error)})`);
  }
}

/** Adds `added` properties to `stream`'s schema in the schema cache, when the cache holds the stream. */
export function widenSchemaCache(file: string, stream: string, added: Record<string, JsonSchema>): void {
  if (!existsSync(file)) return;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return;
  }
  const streams = isJsonObject(parsed) && Array.isArray(parsed.streams) ? parsed.streams : [];
  const entry = streams.find((s) => isJsonObject(s) && s.tap_stream_id === stream && isJsonObject(s.schema));
  if (!isJsonObject(entry) || !isJsonObject(entry.schema)) return;
  const schema = entry.schema;
  const properties = isJsonObject(schema.properties) ? schema.properties : {};
  for (const [k, v] of Object.entries(added)) setField(properties, k, v as JsonObject);
  setField(schema, 'properties', properties);
  writeSchemaCache(file, parsed);
}

/**
 * A schema as records are shaped: without the nested cursor moved to its top-level field (a catalog,
 * cache or declared schema may still describe it there, and flattening would make the column twice).
 */
export function withoutMovedCursor(plan: ResourcePlan, schema: JsonSchema): JsonSchema {
  const steps = plan.lift?.steps;
  if (!steps) return schema;
  const drop = (node: JsonSchema, i: number): JsonSchema => {
    const props = node.properties;
    const prop = props ? fieldOf(props, steps[i] as string) : undefined;
    if (!props || !prop) return node;
    const copy: Record<string, JsonSchema> = { ...props };
    if (i === steps.length - 1) delete copy[steps[i] as string];
    else setField(copy, steps[i] as string, drop(prop, i + 1));
    return { ...node, properties: copy };
  };
  return drop(schema, 0);
}

/**
 * The type of a cursor no sampled record carried, from the definition's `initial_value` (or
 * `end_value`): a number is an integer or number cursor, an ISO date or date-time string a date-time
 * one, any other string a string. With neither, a date-time (what cursors most often are).
 */
export function unsampledCursorSchema(plan: ResourcePlan): JsonSchema {
  const inc = plan.endpoint.incremental;
  const hint = inc?.initial_value ?? inc?.end_value;
  if (typeof hint === 'number') return { type: [Number.isInteger(hint) ? 'integer' : 'number', 'null'] };
  if (typeof hint === 'string' && !/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(hint.trim())) return { type: ['string', 'null'] };
  return { type: ['string', 'null'], format: 'date-time' };
}

/** Key and cursor fields always exist in a schema (the kit requires it; a sample may miss them). */
export function completeSchema(plan: ResourcePlan, schema: JsonSchema): JsonSchema {
  const properties: Record<string, JsonSchema> = { ...schema.properties };
  for (const k of plan.stream.primaryKey) if (!fieldOf(properties, k)) setField(properties, k, { type: ['string', 'integer'] });
  const rk = plan.stream.replicationKey;
  if (rk && !fieldOf(properties, rk)) setField(properties, rk, unsampledCursorSchema(plan));
  return applyColumns(withoutMovedCursor(plan, { type: 'object', ...schema, properties }), plan.resource.columns);
}

/** Inferred schemas, and the streams whose sample had no record (their schema cannot tell which fields exist). */
export interface Inferred {
  schemas: Map<string, JsonSchema>;
  empty: Set<string>;
}

/** Parent records a child's sample may be requested for, at most: until one answers with records. */
export const MAX_SAMPLED_PARENTS = 10;

/**
 * Infers each resource's schema from a sample: its first page, shaped as records are (parent fields,
 * cursor field), merged with the `columns` hints. A child is sampled for the parent records of its
 * parent's sample that have every field its placeholders read, one after another, until a page holds
 * records (at most MAX_SAMPLED_PARENTS): a first parent with no children does not leave the child's
 * schema empty.
 */
export async function inferSchemas(o: { plans: ResourcePlan[]; client: ClientConfig; settings: RestSettings; run: RunConfig; log: Logger; wanted: Set<string> }): Promise<Inferred> {
  const { plans, settings, log, wanted } = o;
  // The run's HTTP settings, as the sync has them: sampling is one request at a time (each awaited).
  const http = new HttpClient(httpOptions(o.run, o.client), log);
  const sampled = new Map<string, JsonObject[]>();
  const out = new Map<string, JsonSchema>();
  const empty = new Set<string>();
  try {
    for (const plan of plans) {
      const def = plan.stream;
      const parentPlan = plan.parent ? plans.find((p) => p.dltName === plan.parent?.dltName) : undefined;
      const fields = plan.parent?.fields ?? [];
      const needed = wanted.has(def.name) || plans.some((p) => p.parent?.dltName === plan.dltName && wanted.has(p.stream.name));
      if (!needed) continue;
      const inferrer = new SchemaInferrer();
      const records: JsonObject[] = [];
      const parents: Array<JsonObject | undefined> = parentPlan
        ? (sampled.get(parentPlan.stream.name) ?? []).filter((r) => suppliesFields(r, fields, (rec, f) => parentPlan.readField(rec as JsonObject, f))).slice(0, MAX_SAMPLED_PARENTS)
        : [undefined];
      let asked = 0;
      for (const parentRecord of parents) {
        asked++;
        const context = parentRecord && parentPlan?.stream.childContext ? parentPlan.stream.childContext(parentRecord) : {};
        const ctx = { settings, context, syncStart: new Date().toISOString(), ...(parentRecord ? { parent: parentRecord } : {}) };
        const { path, init, paginator, ...reading } = requestFor(def, ctx);
        for (const secret of reading.auth?.secrets ?? []) log.redactor.add(secret);
        // One page only: the paginator shapes the first request (page size...) and is not followed.
        const onePage = { ...singlePage(), ...(paginator.first ? { first: paginator.first } : {}) };
        for await (const page of retrieve({ transport: http, first: http.request(path, init), paginator: onePage, ...reading })) {
          for (const item of page.records) {
            const record = plan.shape(item, parentRecord);
            inferrer.add(record);
            if (records.length < SAMPLE_PARENTS) records.push(record);
          }
        }
        if (inferrer.count > 0) break;
      }
      sampled.set(def.name, records);
      if (parentPlan && parents.length === 0) {
        const parentProps = out.get(parentPlan.stream.name)?.properties ?? {};
        // A field the parent's schema lacks is reported by the start-up check (one line), not here.
        const misnamed = fields.some((f) => missingStep(parentProps, f.split('.')) !== undefined);
        const fieldsNote = fields.length && sampled.get(parentPlan.stream.name)?.length ? ` with ${fields.map((f) => `'${f}'`).join(', ')}` : '';
        if (!misnamed) log.warn(`stream '${def.name}': no parent record${fieldsNote} to sample from; its schema has only its key and cursor fields`);
      } else {
        log.info(`stream '${def.name}': schema inferred from ${inferrer.count} sample record(s)${parentPlan ? ` (${asked} parent record(s) asked)` : ''}`);
        if (inferrer.count === 0) log.warn(`stream '${def.name}': the sample${parentPlan ? ` pages of ${asked} parent record(s)` : ' page'} had no records; its schema has only its key, cursor and columns fields`);
      }
      if (inferrer.count === 0) empty.add(def.name);
      out.set(def.name, completeSchema(plan, inferrer.schema()));
    }
  } finally {
    http.close();
  }
  return { schemas: out, empty };
}

/** The replication key's comparison kind under a schema. */
export function replicationKind(plan: ResourcePlan, schema: JsonSchema): 'datetime' | 'number' | 'string' {
  const rk = plan.stream.replicationKey;
  return rk ? keyKind(schema.properties ? fieldOf(schema.properties, rk) : undefined) : 'string';
}
