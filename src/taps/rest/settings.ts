import { defineSettings, settingsSchemaOf, type SettingsOf, type SettingsSchema } from '@singer-io-compatible/tap-kit';

/** tap-rest's own settings; the definition adds the ones it references as `{config.NAME}`. */
const declared = defineSettings({
  type: 'object',
  properties: {
    source: { type: ['string', 'object'], description: 'The dlt rest_api definition: a JSON or YAML file path, or the definition itself (inline JSON/YAML text or object).' },
    base_url: { type: 'string', format: 'uri', description: 'Overrides the definition\'s `client.base_url` (its path is kept as dlt does: `/v1` + `/items` is `/v1/items`).' },
    start_date: { type: 'string', format: 'date-time', description: 'Earliest cursor value to extract on the first run, for resources with a date-time `incremental.cursor_path` (the later of this and `initial_value`).' },
    max_table_nesting: { type: 'integer', minimum: 0, default: 0, description: 'Unnest lists as dlt does: with 1, each list field of a resource becomes a child stream `<resource>__<field>` (one record per item, with the parent\'s key and `_dlt_list_idx`); 0 (the default) keeps lists as JSON columns. A resource\'s own `max_table_nesting` wins.' },
    schema_cache: { type: 'string', description: 'A file where discovery writes the inferred catalog and reads it back on later runs (no sampling requests, stable column types). Delete it to infer again.' },
  },
  required: ['source'],
});

/** The settings: tap-rest's own (typed from the schema above) and whatever the definition references. */
export type RestSettings = SettingsOf<typeof declared> & { [name: string]: unknown };

export const BASE_SETTINGS: SettingsSchema = settingsSchemaOf(declared, 'tap-rest');
