import { UserError, fieldOf, type JsonSchema } from '@singer-io-compatible/tap-kit';
import type { ResourcePlan } from './resources.js';
import { parentReferences } from './placeholders.js';

/**
 * Start-up check of `{resources.<parent>.<field>}`: the field must be one the parent's records have
 * (the first step of a dotted field a property of the parent's schema), so a misspelled field is one
 * line naming the resource and the placeholder, before any child request. Schemas that cannot tell
 * (inferred from an empty sample, or declared without properties) are not checked here; a parent
 * record without the value then stops the run with a line naming the stream and the placeholder.
 */
export function checkParentFields(plans: ResourcePlan[], schemas: ReadonlyMap<string, JsonSchema>, unknown: ReadonlySet<string>, label: string): void {
  for (const plan of plans) {
    if (!plan.parent) continue;
    const parent = plans.find((p) => p.dltName === plan.parent?.dltName);
    if (!parent || unknown.has(parent.stream.name)) continue;
    const properties = schemas.get(parent.stream.name)?.properties;
    if (!properties || Object.keys(properties).length === 0) continue;
    const { path, params, json, headers } = plan.endpoint;
    for (const [where, value] of Object.entries({ path, params, json, headers })) {
      for (const ref of parentReferences(value)) {
        const missing = missingStep(properties, ref.field.split('.'));
        if (!missing) continue;
        const [path, fields] = missing;
        throw new UserError(`${label}: resource '${plan.dltName}': {resources.${ref.parent}.${ref.field}} in endpoint.${where}: '${path}' is not a field of resource '${ref.parent}' (${path.includes('.') ? `fields of '${path.slice(0, path.lastIndexOf('.'))}'` : 'its fields'}: ${fields.join(', ')})`);
      }
    }
  }
}

/**
 * The first step of a dotted field the schema does not have, with the fields it has there; undefined
 * when every step exists (or the schema stops describing the value: an object without properties).
 */
export function missingStep(properties: Record<string, JsonSchema>, steps: string[]): [string, string[]] | undefined {
  let node: Record<string, JsonSchema> | undefined = properties;
  for (let i = 0; i < steps.length && node; i++) {
    const prop: JsonSchema | undefined = fieldOf(node, steps[i] as string);
    if (!prop) return [steps.slice(0, i + 1).join('.'), Object.keys(node)];
    node = prop.properties && Object.keys(prop.properties).length > 0 ? prop.properties : undefined;
  }
  return undefined;
}

/** Whether a parent record has every field its children's placeholders read (a sample parent for discovery must). */
export function suppliesFields(record: Record<string, unknown>, fields: readonly string[], read: (record: Record<string, unknown>, field: string) => unknown): boolean {
  return fields.every((f) => {
    const v = read(record, f);
    return v !== undefined && v !== null;
  });
}
