import { childRows, fieldOf, isJsonObject, schemaTypes, setField, type ChildRowsStream, type JsonObject, type JsonSchema } from '@singer-io-compatible/tap-kit';
import type { ResourcePlan, RestSettings } from './resources.js';

/** The column holding an item's position in its parent's list (dlt's name). */
export const LIST_INDEX = '_dlt_list_idx';

/**
 * Nested lists unnested as dlt's normaliser does with `max_table_nesting` of 1 or more (off by
 * default here: lists stay JSON columns): each top-level list field of a resource's records becomes a
 * child stream `<resource>__<field>`, one record per item, carrying the parent's key
 * (`_<resource>_<key>`, as `include_from_parent` names parent fields) and the item's position
 * (`_dlt_list_idx`); an item that is not an object is `{value: item}`. The parent's records and schema
 * lose the field. One level: lists inside the items stay JSON columns of the child.
 */
export function unnestLists(plans: ResourcePlan[], nestingSetting: number): Array<ChildRowsStream<RestSettings>> {
  const out: Array<ChildRowsStream<RestSettings>> = [];
  for (const plan of plans) {
    const nesting = plan.resource.max_table_nesting ?? nestingSetting;
    const parent = plan.stream;
    const properties = parent.schema?.properties;
    if (nesting < 1 || !parent.schema || !properties) continue;
    const lists = Object.keys(properties).filter((f) => schemaTypes(fieldOf(properties, f) ?? {}).includes('array') && !parent.primaryKey.includes(f) && f !== parent.replicationKey);
    if (lists.length === 0) continue;
    const keyColumns = parent.primaryKey.map((k) => [k, `_${parent.name}_${k}`] as const);
    for (const field of lists) {
      const items = (fieldOf(properties, field) as JsonSchema).items;
      const objects = items !== undefined && isJsonObject(items.properties);
      const childProperties: Record<string, JsonSchema> = {};
      for (const [k, column] of keyColumns) setField(childProperties, column, fieldOf(properties, k) ?? {});
      setField(childProperties, LIST_INDEX, { type: 'integer' });
      if (objects) {
        for (const [k, v] of Object.entries(items.properties as Record<string, JsonSchema>)) if (!fieldOf(childProperties, k)) setField(childProperties, k, v);
      } else {
        setField(childProperties, 'value', items ?? {});
      }
      out.push(childRows<RestSettings>({
        name: `${parent.name}__${field}`,
        parent: parent.name,
        primaryKey: keyColumns.length ? [...keyColumns.map(([, c]) => c), LIST_INDEX] : [],
        schema: { type: 'object', properties: childProperties },
        description: `the items of ${parent.name}.${field}, one record each (max_table_nesting)`,
        ...(parent.selectedByDefault !== undefined ? { selectedByDefault: parent.selectedByDefault } : {}),
        rows: (item, _page, parentRecord) => {
          const list = fieldOf(item, field);
          if (!Array.isArray(list)) return [];
          return list.map((value, index) => {
            const row: JsonObject = {};
            for (const [k, column] of keyColumns) setField(row, column, fieldOf(parentRecord, k) ?? null);
            setField(row, LIST_INDEX, index);
            if (objects && isJsonObject(value)) {
              for (const [k, v] of Object.entries(value)) if (!fieldOf(row, k)) setField(row, k, v);
            } else {
              setField(row, 'value', value);
            }
            return row;
          });
        },
      }));
    }
    // The parent no longer carries the lists.
    const kept: Record<string, JsonSchema> = {};
    for (const [k, v] of Object.entries(properties)) if (!lists.includes(k)) setField(kept, k, v);
    parent.schema = { ...parent.schema, properties: kept };
    const inner = parent.transform;
    parent.transform = (item, page, ctx) => {
      const record = inner ? inner(item, page, ctx) : { ...item };
      if (record === null) return null;
      const copy: JsonObject = record === item ? { ...item } : record;
      for (const f of lists) delete copy[f];
      return copy;
    };
  }
  return out;
}
