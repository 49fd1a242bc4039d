import type { JsonObject, JsonSchema, Logger, RestStream } from '@singer-io-compatible/tap-kit';

/**
 * A field the schema does not have is not extracted (targets only load what the SCHEMA declares).
 * With inferred schemas that happens when a field first appears after the sampled page: say so once
 * per field instead of dropping it silently.
 */
export function warnOnUnknownFields<S>(stream: RestStream<S>, schema: JsonSchema, log: Logger): void {
  const known = new Set(Object.keys(schema.properties ?? {}));
  const reported = new Set<string>();
  const inner = stream.transform;
  stream.transform = (item, page, ctx) => {
    const record: JsonObject | null = inner ? inner(item, page, ctx) : item;
    if (record) for (const key in record) {
      if (known.has(key) || reported.has(key)) continue;
      reported.add(key);
      log.warn(`stream '${stream.name}': field '${key}' is not in the stream's schema and is not extracted (the sample it was inferred from lacked it): add it under the resource's columns, or discover again (after deleting the schema_cache)`);
    }
    return record;
  };
}
