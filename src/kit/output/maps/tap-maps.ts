import type { JsonObject, JsonSchema, JsonValue } from '../../core/json.js';
import { StreamMapper, type MapContext, type MapSpec } from './mapper.js';

/** Maps declared by a tap, in TypeScript (`defineTap({ maps })`). */

/** A computed property of a tap's own map: its value and its JSON Schema. */
export interface ComputedProperty {
  schema: JsonSchema;
  value: (record: JsonObject, ctx: MapContext) => JsonValue;
}

/** A map in a tap's declaration (`defineTap({ maps })`): the same operations as `stream_maps`, typed. */
export interface TapStreamMap {
  /** Output stream name (default: the stream's own). */
  alias?: string;
  /** Keeps the records for which it returns true. */
  filter?: (record: JsonObject, ctx: MapContext) => boolean;
  /** Computed (or replaced) properties, and `null` to remove one. */
  properties?: Record<string, ComputedProperty | null>;
  /** Keep only the key properties and `properties` (the SDK's `__else__: null`). */
  onlyMapped?: boolean;
  keyProperties?: string[] | null;
}

/** Compiles a tap's `maps` declaration (stream name → map, list of maps (extra outputs), or null to drop). */
export function tapStreamMaps(maps: Record<string, TapStreamMap | TapStreamMap[] | null>): StreamMapper {
  const specs: MapSpec[] = [];
  for (const [stream, value] of Object.entries(maps)) {
    const list = value === null ? [null] : Array.isArray(value) ? value : [value];
    list.forEach((m, i) => {
      const where = `maps.${stream}${list.length > 1 ? `[${i}]` : ''}`;
      if (m === null) {
        specs.push({ where, source: stream, primary: true, drop: true, properties: [], onlyMapped: false });
        return;
      }
      const spec: MapSpec = { where, source: stream, primary: i === 0, properties: [], onlyMapped: m.onlyMapped === true };
      const alias = m.alias ?? (i === 0 ? undefined : `${stream}_${i}`);
      if (alias) spec.alias = () => alias;
      if (m.filter) spec.filter = m.filter;
      if (m.keyProperties !== undefined) spec.keyProperties = m.keyProperties;
      for (const [name, p] of Object.entries(m.properties ?? {})) {
        spec.properties.push(p === null ? { name, remove: true } : { name, value: p.value, schema: () => p.schema });
      }
      specs.push(spec);
    });
  }
  return new StreamMapper(specs, false);
}
