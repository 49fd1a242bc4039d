import { readFileSync } from 'node:fs';
import { isJsonObject, type JsonSchema } from './json.js';
import { UserError } from './errors.js';

export type Breadcrumb = string[];
export interface Metadata {
  inclusion?: 'available' | 'automatic' | 'unsupported';
  selected?: boolean;
  'selected-by-default'?: boolean;
  'table-key-properties'?: string[];
  'valid-replication-keys'?: string[];
  'forced-replication-method'?: 'INCREMENTAL' | 'FULL_TABLE';
  'replication-method'?: 'INCREMENTAL' | 'FULL_TABLE';
  'replication-key'?: string;
  'parent-tap-stream-id'?: string;
  [key: string]: unknown;
}
export interface MetadataEntry {
  breadcrumb: Breadcrumb;
  metadata: Metadata;
}
export interface CatalogEntry {
  tap_stream_id: string;
  stream: string;
  schema: JsonSchema;
  metadata: MetadataEntry[];
  key_properties?: string[];
  replication_key?: string;
  replication_method?: string;
}
export interface Catalog {
  streams: CatalogEntry[];
}

/** What discovery needs to know of a stream. */
export interface StreamShape {
  name: string;
  schema: JsonSchema;
  primaryKey: string[];
  replicationKey?: string;
  parent?: string;
  /** False for streams synced only when a catalog selects them. */
  selectedByDefault?: boolean;
}

/** The catalog `--discover` prints: every stream with full Singer metadata, derived from its declaration. */
export function buildCatalog(streams: readonly StreamShape[]): Catalog {
  return {
    streams: streams.map((s) => {
      const automatic = new Set([...s.primaryKey, ...(s.replicationKey ? [s.replicationKey] : [])]);
      const root: Metadata = {
        inclusion: 'available',
        'selected-by-default': s.selectedByDefault ?? true,
        'table-key-properties': s.primaryKey,
        'forced-replication-method': s.replicationKey ? 'INCREMENTAL' : 'FULL_TABLE',
      };
      if (s.replicationKey) {
        root['valid-replication-keys'] = [s.replicationKey];
        root['replication-key'] = s.replicationKey;
      }
      if (s.parent) root['parent-tap-stream-id'] = s.parent;
      const metadata: MetadataEntry[] = [{ breadcrumb: [], metadata: root }];
      for (const field of Object.keys(s.schema.properties ?? {})) {
        metadata.push({
          breadcrumb: ['properties', field],
          metadata: automatic.has(field)
            ? { inclusion: 'automatic', 'selected-by-default': true }
            : { inclusion: 'available', 'selected-by-default': true },
        });
      }
      const entry: CatalogEntry = { tap_stream_id: s.name, stream: s.name, schema: s.schema, metadata, key_properties: s.primaryKey };
      if (s.replicationKey) {
        entry.replication_key = s.replicationKey;
        entry.replication_method = 'INCREMENTAL';
      } else entry.replication_method = 'FULL_TABLE';
      return entry;
    }),
  };
}

/** Reads `--catalog`/`--properties`, checking its shape so that a broken file gives one clear line. */
export function readCatalogFile(file: string, flag: string): Catalog {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new UserError(`${flag} ${file}: cannot read file (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new UserError(`${flag} ${file}: not valid JSON (${(error as Error).message})`);
  }
  if (!isJsonObject(parsed) || !Array.isArray(parsed.streams)) {
    throw new UserError(`${flag} ${file}: a catalog must be an object with a "streams" array`);
  }
  parsed.streams.forEach((s, i) => {
    const where = `${flag} ${file}: streams[${i}]`;
    if (!isJsonObject(s)) throw new UserError(`${where} is not an object`);
    if (typeof s.tap_stream_id !== 'string') throw new UserError(`${where} has no "tap_stream_id"`);
    if (s.schema !== undefined && !isJsonObject(s.schema)) throw new UserError(`${where} ("${s.tap_stream_id}"): "schema" must be an object`);
    if (s.metadata !== undefined && !Array.isArray(s.metadata)) {
      throw new UserError(`${where} ("${s.tap_stream_id}"): "metadata" must be an array`);
    }
    for (const m of (s.metadata as unknown[] | undefined) ?? []) {
      if (!isJsonObject(m) || !Array.isArray(m.breadcrumb) || !isJsonObject(m.metadata)) {
        throw new UserError(`${where} ("${s.tap_stream_id}"): every metadata entry needs "breadcrumb" (array) and "metadata" (object)`);
      }
    }
  });
  return parsed as unknown as Catalog;
}

/** What the user selected of one stream. */
export interface Selection {
  selected: boolean;
  /** Top-level properties that are selected. */
  fields: Set<string>;
  /** The replication method asked for (`replication-method`), if any. */
  replicationMethod?: 'INCREMENTAL' | 'FULL_TABLE';
}

/**
 * Resolves selection the way the Meltano SDK does: no metadata at all selects everything;
 * otherwise `unsupported` is never selected, `automatic` always (when the stream is), then explicit
 * `selected`, then `selected-by-default`, then the parent breadcrumb's value (none at the root:
 * not selected); a deselected stream deselects all its fields.
 */
export function resolveSelection(entry: CatalogEntry): Selection {
  const byCrumb = new Map<string, Metadata>();
  for (const m of entry.metadata ?? []) byCrumb.set(JSON.stringify(m.breadcrumb), m.metadata);
  const empty = byCrumb.size === 0; // no metadata at all: everything is selected
  // `parentValue` undefined at the root: with no word either way, a stream is not selected.
  const decide = (md: Metadata | undefined, parentValue: boolean | undefined): boolean => {
    if (empty) return true;
    if (parentValue === false) return false;
    const m = md ?? {};
    if (m.inclusion === 'unsupported') return false;
    if (m.inclusion === 'automatic') return true;
    if (typeof m.selected === 'boolean') return m.selected;
    if (typeof m['selected-by-default'] === 'boolean') return m['selected-by-default'];
    return parentValue ?? false;
  };
  const root = byCrumb.get('[]');
  const selected = decide(root, undefined);
  const fields = new Set<string>();
  for (const name of Object.keys(entry.schema?.properties ?? {})) {
    if (decide(byCrumb.get(JSON.stringify(['properties', name])), selected)) fields.add(name);
  }
  const sel: Selection = { selected, fields };
  const method = root?.['replication-method'] ?? entry.replication_method;
  if (method === 'INCREMENTAL' || method === 'FULL_TABLE') sel.replicationMethod = method;
  return sel;
}
