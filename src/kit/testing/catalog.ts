import { isObject, propertiesOf } from './json-schema.js';

/** A metadata entry of a Singer catalog: a breadcrumb into the schema and what is said about that node. */
export interface MetadataEntry {
  breadcrumb: string[];
  metadata: Record<string, unknown>;
}

/** A catalog stream as the suite reads it (other fields a tap writes are kept as they are). */
export interface CatalogStream {
  tap_stream_id: string;
  stream?: string;
  schema: Record<string, unknown>;
  metadata: MetadataEntry[];
  [field: string]: unknown;
}

export interface Catalog {
  streams: CatalogStream[];
  [field: string]: unknown;
}

/** The stream's root metadata (breadcrumb `[]`), empty when there is none. */
export function rootMetadata(stream: CatalogStream): Record<string, unknown> {
  return stream.metadata.find((m) => m.breadcrumb.length === 0)?.metadata ?? {};
}

/** The metadata of a top-level property (breadcrumb `["properties", name]`). */
export function fieldMetadata(stream: CatalogStream, field: string): Record<string, unknown> | undefined {
  return stream.metadata.find((m) => m.breadcrumb.length === 2 && m.breadcrumb[0] === 'properties' && m.breadcrumb[1] === field)?.metadata;
}

const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);

/** Key properties: `table-key-properties`, else the legacy top-level `key_properties`. */
export function keyProperties(stream: CatalogStream): string[] {
  const root = rootMetadata(stream);
  return Array.isArray(root['table-key-properties']) ? strings(root['table-key-properties']) : strings(stream.key_properties);
}

/**
 * The replication key the tap will bookmark on: `replication-key` (metadata or the legacy
 * top-level field), else the first valid replication key of a stream forced to INCREMENTAL.
 */
export function replicationKey(stream: CatalogStream): string | undefined {
  const root = rootMetadata(stream);
  if (typeof root['replication-key'] === 'string') return root['replication-key'];
  if (typeof stream.replication_key === 'string' && stream.replication_key !== '') return stream.replication_key;
  const valid = strings(root['valid-replication-keys']);
  return root['forced-replication-method'] === 'INCREMENTAL' ? valid[0] : undefined;
}

/** The parent stream's id, for the SDK's `parent-tap-stream-id`. */
export function parentOf(stream: CatalogStream): string | undefined {
  const parent = rootMetadata(stream)['parent-tap-stream-id'];
  return typeof parent === 'string' ? parent : undefined;
}

function isMetadataEntry(value: unknown): value is MetadataEntry {
  return isObject(value) && Array.isArray(value.breadcrumb) && value.breadcrumb.every((b) => typeof b === 'string') && isObject(value.metadata);
}

/** Reads a discovered catalog's shape; returns the problem when it is not `{streams: [{tap_stream_id, schema, metadata}]}`. */
export function asCatalog(value: unknown): Catalog | string {
  if (!isObject(value)) return 'the catalog is not a JSON object';
  if (!Array.isArray(value.streams)) return 'the catalog has no "streams" array';
  const streams: CatalogStream[] = [];
  for (const [i, stream] of value.streams.entries()) {
    if (!isObject(stream)) return `streams[${i}] is not an object`;
    const id = stream.tap_stream_id;
    if (typeof id !== 'string' || id === '') return `streams[${i}] has no tap_stream_id`;
    if (!isObject(stream.schema)) return `stream '${id}' has no schema object`;
    if (stream.metadata !== undefined && !Array.isArray(stream.metadata)) return `stream '${id}': metadata is not an array`;
    const metadata = (Array.isArray(stream.metadata) ? stream.metadata : []).filter(isMetadataEntry);
    streams.push({ ...stream, tap_stream_id: id, schema: stream.schema, metadata });
  }
  return { ...value, streams };
}

/** What to leave out of a catalog: whole streams, and single fields of streams. */
export interface Deselection {
  streams?: readonly string[];
  fields?: ReadonlyArray<{ stream: string; field: string }>;
}

/**
 * The catalog with every stream and every supported field selected (`selected: true` on each
 * breadcrumb), except what `deselect` names (`selected: false`).
 */
export function selectAll(catalog: Catalog, deselect: Deselection = {}): Catalog {
  const skipped = new Set(deselect.streams ?? []);
  return {
    ...catalog,
    streams: catalog.streams.map((stream) => {
      const fields = new Set((deselect.fields ?? []).filter((f) => f.stream === stream.tap_stream_id).map((f) => f.field));
      const root: MetadataEntry[] = stream.metadata.some((m) => m.breadcrumb.length === 0) ? [] : [{ breadcrumb: [], metadata: {} }];
      const named = new Set(stream.metadata.filter((m) => m.breadcrumb.length === 2 && m.breadcrumb[0] === 'properties').map((m) => m.breadcrumb[1]));
      const missing: MetadataEntry[] = Object.keys(propertiesOf(stream.schema)).filter((p) => !named.has(p)).map((p) => ({ breadcrumb: ['properties', p], metadata: {} }));
      const metadata = [...root, ...stream.metadata, ...missing].map((m): MetadataEntry => {
        if (m.breadcrumb.length === 0) return { ...m, metadata: { ...m.metadata, selected: !skipped.has(stream.tap_stream_id) } };
        if (m.metadata.inclusion === 'unsupported') return m;
        const field = m.breadcrumb.length === 2 ? m.breadcrumb[1] : undefined;
        return { ...m, metadata: { ...m.metadata, selected: !(field !== undefined && fields.has(field)) } };
      });
      return { ...stream, metadata };
    }),
  };
}

/** Is the stream selected in a catalog the suite built (`selected` on its root metadata)? */
export function isSelected(stream: CatalogStream): boolean {
  return rootMetadata(stream).selected !== false;
}
