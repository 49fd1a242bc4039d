import type { JsonSchema } from '@singer-io-compatible/tap-kit';

/** JSON Schema pieces the definition's schema and the paginator and auth registries share. */
export const str: JsonSchema = { type: 'string' };
export const int: JsonSchema = { type: 'integer' };
export const bool: JsonSchema = { type: 'boolean' };
export const strMap: JsonSchema = { type: 'object', additionalProperties: { type: ['string', 'number', 'boolean'] } };
export const nullableStr: JsonSchema = { type: ['string', 'null'] };

/** One `{type: X, ...params}` kind of a registry: the parameters it takes (its schema) and what it builds. */
export interface Kind<In, Out> {
  params: Record<string, JsonSchema>;
  required?: string[];
  build(input: In): Out;
}

/** `{type: X, ...params}` objects: `type` picks the parameters that are allowed. */
export function typedSchema(kinds: Record<string, { params: Record<string, JsonSchema>; required?: string[] }>): JsonSchema {
  return {
    type: 'object',
    required: ['type'],
    properties: { type: { enum: Object.keys(kinds) } },
    allOf: Object.entries(kinds).map(([type, kind]) => ({
      if: { properties: { type: { const: type } }, required: ['type'] },
      then: { properties: { type: { const: type }, ...kind.params }, additionalProperties: false, required: ['type', ...(kind.required ?? [])] },
    })),
  };
}
