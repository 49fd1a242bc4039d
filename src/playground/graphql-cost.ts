/**
 * A query's rate-limit cost as GitHub's GraphQL API computes it: every connection (a field asked
 * with `first` or `last`) needs one request per parent node, assuming each page is full; the sum
 * of those requests divided by 100 and rounded, at least 1. `nodeCount` is the most nodes the query
 * could return; `rateLimit(dryRun: true)` prices a query without charging it. Read from the parsed document, never from the query text.
 */
import { Kind, getOperationAST, type DocumentNode, type FieldNode, type FragmentDefinitionNode, type SelectionSetNode } from 'graphql';

function pageSize(field: FieldNode, variables: Readonly<Record<string, unknown>>): number | undefined {
  for (const arg of field.arguments ?? []) {
    if (arg.name.value !== 'first' && arg.name.value !== 'last') continue;
    const value = arg.value.kind === Kind.INT ? Number(arg.value.value) : arg.value.kind === Kind.VARIABLE ? variables[arg.value.name.value] : undefined;
    if (typeof value === 'number' && Number.isFinite(value)) return Math.max(0, value);
  }
  return undefined;
}

/** `rateLimit(dryRun: true)` (a literal or a variable): the query is priced, not charged. */
function isDryRun(field: FieldNode, variables: Readonly<Record<string, unknown>>): boolean {
  if (field.name.value !== 'rateLimit') return false;
  const arg = field.arguments?.find((a) => a.name.value === 'dryRun');
  if (!arg) return false;
  return arg.value.kind === Kind.BOOLEAN ? arg.value.value : arg.value.kind === Kind.VARIABLE && variables[arg.value.name.value] === true;
}

export function queryCost(document: DocumentNode, operationName: string | undefined, variables: Readonly<Record<string, unknown>>): { cost: number; nodeCount: number; dryRun: boolean } {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  let requests = 0;
  let nodeCount = 0;
  let dryRun = false;
  const walk = (set: SelectionSetNode | undefined, parents: number, within: ReadonlySet<string>): void => {
    for (const selection of set?.selections ?? []) {
      if (selection.kind === Kind.FIELD) {
        dryRun ||= isDryRun(selection, variables);
        const size = pageSize(selection, variables);
        if (size === undefined) walk(selection.selectionSet, parents, within);
        else {
          requests += parents;
          nodeCount += parents * size;
          walk(selection.selectionSet, parents * size, within);
        }
      } else if (selection.kind === Kind.INLINE_FRAGMENT) walk(selection.selectionSet, parents, within);
      else {
        const name = selection.name.value;
        const fragment = fragments.get(name);
        // A fragment spreading itself is a validation error already; never recurse on it.
        if (fragment && !within.has(name)) walk(fragment.selectionSet, parents, new Set([...within, name]));
      }
    }
  };
  walk(getOperationAST(document, operationName)?.selectionSet, 1, new Set());
  return { cost: Math.max(1, Math.round(requests / 100)), nodeCount, dryRun };
}
