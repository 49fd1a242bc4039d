import type { Generated } from './generate.js';
import type { WrittenFiles } from './writer.js';

/** The stderr summary: endpoints found, resources written (paginated, keyed, incremental, children), skipped and why, the files. */
export function summary(g: Generated, label: string, files: WrittenFiles): string[] {
  const r = g.resources;
  const count = (f: (x: (typeof r)[number]) => boolean) => r.filter(f).length;
  const lines = [
    `${label}: ${g.operations} operation(s), ${g.readEndpoints} GET endpoint(s) found (${g.listEndpoints} list(s)); wrote ${r.length} resource(s) (${count((x) => x.kind === 'list')} list(s), ${count((x) => x.kind === 'object')} single object(s), ${count((x) => x.kind === 'value' && !x.format)} scalar(s) or list(s) of scalars as {value}, ${count((x) => x.format === 'xml')} in XML, ${count((x) => x.format === 'text')} text, ${count((x) => x.format === 'binary')} binary): ${count((x) => x.paginated)} with a paginator (single objects: single_page), ${count((x) => x.keyed)} with a primary key, ${count((x) => x.incremental)} incremental, ${count((x) => x.child)} child(ren) of another resource; ${count((x) => !!x.unselected)} not selected (reading no records, or changing state)`,
  ];
  const reasons = new Map<string, number>();
  for (const s of g.skipped) reasons.set(s.reason, (reasons.get(s.reason) ?? 0) + 1);
  if (g.skipped.length) {
    lines.push(`skipped ${g.skipped.length} GET endpoint(s):`);
    for (const [reason, n] of [...reasons.entries()].sort((a, b) => b[1] - a[1]).slice(0, 12)) lines.push(`  ${n} ${reason}`);
    if (reasons.size > 12) lines.push(`  ... and ${reasons.size - 12} other reason(s)`);
  }
  if (g.cycles) lines.push(`${g.cycles} recursive schema reference(s) cut to an object`);
  lines.push(`wrote ${files.source} (the definition), ${files.schemas} (typed stream schemas, the schema_cache), ${files.settings} (settings schema), ${files.config} (a config to fill in)`);
  return lines;
}
