import { readFileSync } from 'node:fs';
import { isJsonObject, type JsonSchema } from '../core/json.js';
import { UserError } from '../core/errors.js';
import { parseJsonFile } from '../core/jsontext.js';
import { fileProblem } from '../core/file-errors.js';

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
    throw new UserError(`${flag} ${file}: ${fileProblem(error)}`);
  }
  const parsed = parseJsonFile(text, `${flag} ${file}`);
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
  /** Nested fields deselected by a deeper breadcrumb (`["a", "b"]`; `"*"` for every array item). */
  deselected?: string[][];
  /** What the catalog said that the kit could not take as meant (reported as warnings). */
  notes?: string[];
}

/** `["properties","a","items","properties","b"]` → `["a","*","b"]`; undefined when it is not a field path. */
function fieldPath(breadcrumb: Breadcrumb): string[] | undefined {
  const out: string[] = [];
  for (let i = 0; i < breadcrumb.length; i++) {
    if (breadcrumb[i] === 'properties' && typeof breadcrumb[i + 1] === 'string') out.push(breadcrumb[++i] as string);
    else if (breadcrumb[i] === 'items') out.push('*');
    else return undefined;
  }
  return out;
}

/**
 * Resolves selection the way the Meltano SDK does: no metadata at all selects everything;
 * otherwise `unsupported` is never selected, `automatic` always (when the stream is), then explicit
 * `selected`, then `selected-by-default`, then the parent breadcrumb's value (none at the root:
 * not selected); a deselected stream deselects all its fields.
 */
export function resolveSelection(entry: CatalogEntry, automatic: readonly string[] = []): Selection {
  const byCrumb = new Map<string, Metadata>();
  const notes: string[] = [];
  for (const m of entry.metadata ?? []) {
    byCrumb.set(JSON.stringify(m.breadcrumb), m.metadata);
    if (m.metadata.selected !== undefined && typeof m.metadata.selected !== 'boolean') {
      notes.push(`breadcrumb ${JSON.stringify(m.breadcrumb)}: "selected" must be true or false, got ${JSON.stringify(m.metadata.selected)}; ignored`);
    }
  }
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
    // Key and replication-key fields are automatic whatever the catalog says: without them no upsert, no bookmark.
    else if (selected && automatic.includes(name)) {
      fields.add(name);
      if (!empty) notes.push(`field '${name}' is a key or replication key: it is always synced (deselection ignored)`);
    }
  }
  const deselected: string[][] = [];
  for (const m of entry.metadata ?? []) {
    const path = m.breadcrumb.length > 2 ? fieldPath(m.breadcrumb) : undefined;
    if (!path || !fields.has(path[0] as string)) continue;
    if (m.metadata.inclusion !== 'automatic' && (m.metadata.selected === false || m.metadata.inclusion === 'unsupported')) deselected.push(path);
  }
  const sel: Selection = { selected, fields };
  if (deselected.length) sel.deselected = deselected;
  if (notes.length) sel.notes = notes;
  const method = root?.['replication-method'] ?? entry.replication_method;
  if (method === 'INCREMENTAL' || method === 'FULL_TABLE') sel.replicationMethod = method;
  return sel;
}
