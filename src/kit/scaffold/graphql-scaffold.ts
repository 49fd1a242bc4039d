/**
 * The placeholders of the GraphQL templates (template/graphql/: src/tap.ts and test/server.mjs) for
 * one authentication: the declaration's imports, settings and client, and the stand-in API's
 * credential check. Pages are the connection's `pageInfo` cursors: no pagination to choose.
 */
import type { AuthChoice } from './auth-choices.js';
import { httpReadme } from './common-scaffold.js';
import { restPlaceholders } from './rest-scaffold.js';

export function graphqlPlaceholders(auth: AuthChoice): Record<string, string> {
  const rest = restPlaceholders(auth, undefined);
  return {
    __KIT_IMPORTS__: ['defineTap', 'defineSettings', 'graphql', ...auth.imports, 'toIsoSeconds', 'type SettingsOf'].join(', '),
    __SETTINGS_PROPERTIES__: rest.__SETTINGS_PROPERTIES__ ?? '',
    __REQUIRED__: rest.__REQUIRED__ ?? '',
    __AUTH__: rest.__AUTH__ ?? '',
    __SERVER_IMPORTS__: rest.__SERVER_IMPORTS__ ?? '',
    __SERVER_CONSTANTS__: rest.__SERVER_CONSTANTS__ ?? '',
    __SERVER_AUTH__: rest.__SERVER_AUTH__ ?? '',
    __SERVER_ROUTES__: rest.__SERVER_ROUTES__ ?? '',
    __PAGING_SUMMARY__: 'the connection\'s `pageInfo { hasNextPage endCursor }`, sent back as `$after` (no --paging)',
    ...httpReadme('query, variables, connection, keys', 'match the query\nand its `connection` to the real schema (pages are its `pageInfo` cursors)'),
  };
}
