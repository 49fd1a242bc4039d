/**
 * The placeholders of the REST templates (template/rest/: src/tap.ts and test/server.mjs) for one
 * authentication and one pagination: the declaration's imports, settings, client and paginator,
 * and the stand-in API's credential check and pages.
 */
import type { AuthChoice } from './auth-choices.js';
import type { PagingChoice } from './paging-choices.js';
import { DEFAULT_PAGING, PAGING_CHOICES } from './paging-choices.js';

const lines = (list: readonly string[]): string => list.join('\n');

export function restPlaceholders(auth: AuthChoice, chosen: PagingChoice | undefined): Record<string, string> {
  const paging = chosen ?? PAGING_CHOICES[DEFAULT_PAGING];
  const imports = ['defineTap', 'defineSettings', 'rest', ...new Set([...auth.imports, ...paging.imports]), 'type SettingsOf'];
  const required = auth.settings.filter((s) => !s.optional).map((s) => `'${s.name}'`);
  return {
    __KIT_IMPORTS__: imports.join(', '),
    __SETTINGS_PROPERTIES__: lines(auth.settings.map((s) => `${s.name}: ${s.schema},`)),
    __REQUIRED__: required.length ? `required: [${required.join(', ')}],` : '',
    __AUTH__: auth.expression,
    __PAGING_SHAPE__: paging.shape,
    __STREAM_OPTIONS__: lines(paging.declaration),
    __SERVER_IMPORTS__: lines(auth.server.imports ?? []),
    __SERVER_CONSTANTS__: lines(auth.server.constants),
    __SERVER_AUTH__: lines(auth.server.check),
    __SERVER_ROUTES__: lines(auth.server.routes ?? []),
    __SERVER_PAGE__: lines(paging.server),
  };
}
