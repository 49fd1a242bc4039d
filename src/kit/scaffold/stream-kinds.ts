/**
 * The stream kinds `tap-kit new --stream` knows. Only `rest` scaffolds today; `graphql` and
 * `generic` are refused with one line saying they are coming. The seam for them: a kind is a
 * `StreamKindScaffold` (its template folders under template/ and the values of their placeholders),
 * listed in `SCAFFOLDS`; the prompt offers, and the flag accepts, whatever is listed there.
 */
import { UserError } from '../core/errors.js';
import type { AuthChoice } from './auth-choices.js';
import type { PagingChoice } from './paging-choices.js';
import { restPlaceholders } from './rest-scaffold.js';

export const STREAM_NAMES = ['rest', 'graphql', 'generic'] as const;
export type StreamName = (typeof STREAM_NAMES)[number];
export const DEFAULT_STREAM: StreamName = 'rest';

export interface StreamKindScaffold {
  name: StreamName;
  summary: string;
  /** Folders under template/ copied in order (a later one's file replaces an earlier one's). */
  templates: string[];
  /** Whether the kind pages as REST does (it asks --paging). */
  paged: boolean;
  /** Values of the placeholders its templates hold beyond the common ones. */
  placeholders(auth: AuthChoice, paging: PagingChoice | undefined): Record<string, string>;
}

const SCAFFOLDS: Partial<Record<StreamName, StreamKindScaffold>> = {
  rest: {
    name: 'rest',
    summary: 'REST: records from JSON pages of an HTTP endpoint',
    templates: ['common', 'rest'],
    paged: true,
    placeholders: restPlaceholders,
  },
};

/** What the kinds not scaffolded yet will be, for the line that refuses them. */
const COMING: Record<StreamName, string> = {
  rest: '',
  graphql: 'GraphQL streams (a query, records at a path, pageInfo cursors)',
  generic: 'generic streams (records from your own async generator: files, databases, client libraries)',
};

/** The kinds that scaffold today, in menu order. */
export function availableStreams(): StreamKindScaffold[] {
  return STREAM_NAMES.flatMap((name) => SCAFFOLDS[name] ?? []);
}

export function streamKind(name: string): StreamKindScaffold {
  if (!(STREAM_NAMES as readonly string[]).includes(name)) throw new UserError(`--stream must be one of ${STREAM_NAMES.join(', ')}; got '${name}'`);
  const scaffold = SCAFFOLDS[name as StreamName];
  if (!scaffold) throw new UserError(`--stream ${name} is not scaffolded yet: ${COMING[name as StreamName]} are coming; use --stream rest for now`);
  return scaffold;
}
