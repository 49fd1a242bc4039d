import type { Ajv } from 'ajv';
import { schemaTypes, type JsonObject, type JsonSchema } from '../core/json.js';
import type { RecordStamp } from '../output/sink.js';
import { fieldOf, setField } from '../core/own.js';
import { inferSchema } from '../records/infer.js';
import type { Selection } from '../catalog/catalog.js';
import { projectSchema } from '../records/schema.js';
import { RecordConformer } from '../records/validate.js';
import type { StreamDef } from '../tap/stream.js';

/** What the catalog says of one stream. */
export interface ChosenStream {
  selection: Selection;
  schema: JsonSchema;
  /** `table-key-properties` of the input catalog when it overrides the declaration's (as the SDK applies them). */
  keyProperties?: string[];
}

/** One stream of this run: its declaration, what the catalog chose, and its counters. */
export interface StreamRun {
  def: StreamDef<unknown>;
  selected: boolean;
  /** Selected, or the parent of a selected stream (read for its children). */
  needed: boolean;
  conformer?: RecordConformer;
  /** The SCHEMA message of a selected stream: selected properties only. */
  schema?: JsonSchema;
  keyProperties: string[];
  children: StreamRun[];
  count: number;
  pages: number;
  started: number;
  version?: number;
  /** The RECORD stamp of the page being written (time extracted, version). */
  stamp?: RecordStamp;
  incremental: boolean;
  /** A list of this stream kept changing through every read: rows that moved may be missing. */
  unsettled?: boolean;
  /** Records to write at most (a sample: `--test`); none: every record. */
  limit?: number;
}

/** What the plan needs to know beyond the catalog. */
export interface PlanOptions {
  /** Compiles each selected stream's validator. */
  ajv: Ajv;
  /** Why a stream cannot run with these settings (a setting it needs is missing), or undefined. */
  unavailable?: (def: StreamDef<unknown>) => string | undefined;
  warn?: (message: string) => void;
  /** A record field the stream's full schema does not have (dropped; said once per stream and field). */
  onUnknown?: (stream: string, field: string) => void;
  /** Set: a record's fields the schema lacks widen it (see widenRun), and this announces the new schema. */
  onWidened?: (run: StreamRun, added: Record<string, JsonSchema>) => void;
}

/**
 * The run's schema with `fields` of `record` added, each typed from its value and nullable (a
 * later record may not have it).
 */
function widenRun(run: StreamRun, record: JsonObject, fields: string[]): Record<string, JsonSchema> {
  const sample: Record<string, unknown> = {};
  for (const f of fields) setField(sample, f, fieldOf(record, f));
  const inferred = inferSchema([sample]).properties ?? {};
  const added: Record<string, JsonSchema> = {};
  const properties: Record<string, JsonSchema> = { ...(run.schema?.properties ?? {}) };
  for (const f of fields) {
    const prop = fieldOf(inferred, f) ?? {};
    const types = schemaTypes(prop);
    const nullable: JsonSchema = types.length && !types.includes('null') ? { ...prop, type: [...types, 'null'] } : prop;
    setField(added, f, nullable);
    setField(properties, f, nullable);
  }
  run.schema = { ...(run.schema ?? { type: 'object' }), properties };
  return added;
}

/**
 * The run's streams in declaration order, children linked to parents, each conformer compiled once.
 * A stream that cannot run is left out with its children; a selected one says why, once.
 */
export function planStreams(defs: ReadonlyArray<StreamDef<unknown>>, chosen: ReadonlyMap<string, ChosenStream>, options: PlanOptions): Map<string, StreamRun> {
  const ajv = options.ajv;
  const runs = new Map<string, StreamRun>();
  for (const def of defs) {
    const c = chosen.get(def.name);
    const selected = c?.selection.selected ?? false;
    const incremental = Boolean(def.replicationKey) && c?.selection.replicationMethod !== 'FULL_TABLE';
    const keyProperties = c?.keyProperties ?? def.primaryKey;
    const run: StreamRun = { def, selected, needed: selected, keyProperties, children: [], count: 0, pages: 0, started: 0, incremental };
    if (selected && c) {
      const deselected = c.selection.deselected ?? [];
      run.schema = projectSchema(c.schema, c.selection.fields, deselected);
      const known = new Set(Object.keys(c.schema.properties ?? {}));
      const announce = options.onWidened;
      run.conformer = new RecordConformer(ajv, {
        stream: def.name, schema: run.schema, primaryKey: keyProperties, deselected, known, onUnknown: (field) => options.onUnknown?.(def.name, field),
        ...(announce ? {
          widen: (record: JsonObject, fields: string[]) => {
            const added = widenRun(run, record, fields);
            announce(run, added);
            return run.schema;
          },
        } : {}),
      });
    }
    runs.set(def.name, run);
  }
  for (const run of runs.values()) {
    if (run.def.parent) runs.get(run.def.parent)?.children.push(run);
  }
  // A parent is needed when any descendant is selected.
  const mark = (run: StreamRun, blockedBy?: string): boolean => {
    const reason = blockedBy ?? options.unavailable?.(run.def);
    if (reason) {
      if (run.selected) options.warn?.(`stream '${run.def.name}': not synced: ${blockedBy ? `its parent '${run.def.parent}' cannot run: ` : ''}${reason}`);
      run.selected = false;
      run.needed = false;
      for (const child of run.children) mark(child, reason);
      return false;
    }
    const childNeeded = run.children.map((c) => mark(c)).some(Boolean);
    run.needed = run.selected || childNeeded;
    return run.needed;
  };
  for (const run of runs.values()) if (!run.def.parent) mark(run);
  return runs;
}
