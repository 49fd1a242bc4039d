/**
 * The stream kinds `tap-kit new --stream` scaffolds. A kind is a `StreamKindScaffold`: its template
 * folders under template/ and the values of their placeholders, listed in `SCAFFOLDS`; the prompt
 * offers, and the flag accepts, whatever is listed there. A kind says which of --auth and --paging
 * apply to it; giving one that does not is refused with the reason.
 */
import { UserError } from '../core/errors.js';
import type { AuthChoice } from './auth-choices.js';
import type { PagingChoice } from './paging-choices.js';
import { restPlaceholders } from './rest-scaffold.js';
import { graphqlPlaceholders } from './graphql-scaffold.js';
import { genericPlaceholders } from './generic-scaffold.js';

export const STREAM_NAMES = ['rest', 'graphql', 'generic'] as const;
export type StreamName = (typeof STREAM_NAMES)[number];
export const DEFAULT_STREAM: StreamName = 'rest';

export interface StreamKindScaffold {
  name: StreamName;
  summary: string;
  /** Folders under template/ copied in order (a later one's file replaces an earlier one's). */
  templates: string[];
  /** Whether the kind pages as REST does (it asks --paging); else why --paging does not apply. */
  paged: true | { why: string };
  /** Whether the kind calls an API with credentials (it asks --auth); else why --auth does not apply. */
  authed: true | { why: string };
  /** Values of the placeholders its templates hold beyond the common ones (they replace common ones). */
  placeholders(auth: AuthChoice, paging: PagingChoice | undefined): Record<string, string>;
}

const SCAFFOLDS: Record<StreamName, StreamKindScaffold> = {
  rest: {
    name: 'rest',
    summary: 'REST: records from JSON pages of an HTTP endpoint',
    templates: ['common', 'rest'],
    paged: true,
    authed: true,
    placeholders: restPlaceholders,
  },
  graphql: {
    name: 'graphql',
    summary: 'GraphQL: a query, records from a connection\'s nodes, pages from its pageInfo cursors',
    templates: ['common', 'graphql'],
    paged: { why: 'GraphQL pages are the connection\'s pageInfo cursors ($first, $after)' },
    authed: true,
    placeholders: (auth) => graphqlPlaceholders(auth),
  },
  generic: {
    name: 'generic',
    summary: 'generic: records from your own async generator (here JSON Lines files; a database, a client library)',
    templates: ['common', 'generic'],
    paged: { why: 'a generic stream\'s records come from its own code (files), not from pages of an API' },
    authed: { why: 'a generic stream\'s records come from its own code (files), not from an API' },
    placeholders: () => genericPlaceholders(),
  },
};

/** The kinds that scaffold, in menu order. */
export function availableStreams(): StreamKindScaffold[] {
  return STREAM_NAMES.map((name) => SCAFFOLDS[name]);
}

export function streamKind(name: string): StreamKindScaffold {
  if (!(STREAM_NAMES as readonly string[]).includes(name)) throw new UserError(`--stream must be one of ${STREAM_NAMES.join(', ')}; got '${name}'`);
  return SCAFFOLDS[name as StreamName];
}

/** Refuses --auth and --paging where they do not apply to the kind, with the reason. */
export function checkApplies(kind: StreamKindScaffold, given: { auth?: string | undefined; paging?: string | undefined }): void {
  if (given.auth !== undefined && kind.authed !== true) throw new UserError(`--auth does not apply to --stream ${kind.name}: ${kind.authed.why}; leave it out`);
  if (given.paging !== undefined && kind.paged !== true) throw new UserError(`--paging does not apply to --stream ${kind.name}: ${kind.paged.why}; leave it out`);
}
