import { UserError } from '../core/errors.js';
import { isJsonObject } from '../core/json.js';
import type { Logger } from '../log/log.js';
import { readCatalogFile, resolveSelection, type StreamShape } from '../catalog/catalog.js';
import type { ChosenStream } from '../run/sync.js';
import type { Tap } from '../tap/tap.js';

/** The catalog flags of the command line (`CliArgs`). */
export interface CatalogArgs {
  catalog?: string;
  properties?: string;
}

/** A stream as discovery selects it: every field, and the stream unless it is off by default. */
function byDefault(s: StreamShape): ChosenStream {
  return { selection: { selected: s.selectedByDefault !== false, fields: new Set(Object.keys(s.schema.properties ?? {})) }, schema: s.schema };
}

export function selectionsFrom<S>(tap: Tap<S>, args: CatalogArgs, using: { shapes: StreamShape[]; log: Logger }): Map<string, ChosenStream> {
  const { shapes, log } = using;
  const out = new Map<string, ChosenStream>();
  const file = args.catalog ?? args.properties;
  if (!file) {
    for (const s of shapes) out.set(s.name, byDefault(s));
    return out;
  }
  if (args.catalog && args.properties) log.warn('both --catalog and --properties given: using --catalog');
  const catalog = readCatalogFile(file, args.catalog ? '--catalog' : '--properties');
  const known = new Set(tap.shapes.map((s) => s.name));
  for (const entry of catalog.streams) {
    if (!known.has(entry.tap_stream_id)) {
      log.warn(`catalog stream '${entry.tap_stream_id}' is not a stream of ${tap.name}; ignored`);
      continue;
    }
    const shape = (shapes.find((s) => s.name === entry.tap_stream_id) ?? tap.shapes.find((s) => s.name === entry.tap_stream_id)) as StreamShape;
    const own = shape.schema;
    let schema = entry.schema ?? own;
    if (!isJsonObject(schema.properties)) {
      log.warn(`catalog stream '${entry.tap_stream_id}': its schema has no "properties"; using the tap's own schema`);
      schema = own;
    }
    const automatic = [...shape.primaryKey, ...(shape.replicationKey ? [shape.replicationKey] : [])];
    const selection = resolveSelection({ ...entry, schema, metadata: entry.metadata ?? [] }, automatic);
    for (const note of selection.notes ?? []) log.warn(`catalog stream '${entry.tap_stream_id}': ${note}`);
    const chosen: ChosenStream = { selection, schema };
    // Key properties set in the catalog (e.g. Meltano `metadata:` overrides) win, as in the SDK.
    const root = entry.metadata?.find((m) => m.breadcrumb.length === 0)?.metadata;
    const keys = root?.['table-key-properties'] ?? entry.key_properties;
    if (Array.isArray(keys)) {
      const bad = keys.filter((k) => typeof k !== 'string' || !schema.properties?.[k]);
      if (bad.length) throw new UserError(`catalog stream '${entry.tap_stream_id}': key properties ${JSON.stringify(bad)} are not properties of its schema`);
      chosen.keyProperties = keys;
      if (selection.selected) for (const k of keys) selection.fields.add(k);
    }
    out.set(entry.tap_stream_id, chosen);
  }
  // Streams the catalog does not mention keep their discovered metadata (selected by default), as in the SDK.
  for (const s of shapes) {
    if (out.has(s.name)) continue;
    log.info(`stream '${s.name}' is not in the catalog: ${s.selectedByDefault === false ? 'not selected by default' : 'synced with its default selection'}`);
    out.set(s.name, byDefault(s));
  }
  return out;
}
