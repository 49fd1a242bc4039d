import {
  defineTap, defineSettings, rest, childRows, bearer, nextUrl, jsonApiFlatten, relationshipRefs, findIncluded, decodeJsonString, toIsoDate, instantMs,
  type JsonObject, type SettingsOf, type RestStream,
} from '@singer-io-compatible/tap-kit';
import { VERSION } from '../version.js';
import type { IncidentsRecord, IncidentMonitorRecord, OnCallUsersRecord } from './records.generated.js';

/** Settings of tap-betterstack. */
export type BetterstackSettings = SettingsOf<typeof settings>;

/** The API's page-size ceilings: 250 for most lists, 50 for incidents. */
const MAX_PER_PAGE = 250;
const MAX_INCIDENTS_PER_PAGE = 50;

/** A JSON:API list endpoint: `data` records, `pagination.next` absolute links, `per_page` at the endpoint's maximum. */
function list(name: string, path: string, extra: Partial<RestStream<BetterstackSettings>> = {}, max = MAX_PER_PAGE): RestStream<BetterstackSettings> {
  return rest<BetterstackSettings>({
    name,
    path,
    primaryKey: ['id'],
    records: 'data',
    params: (ctx) => ({ per_page: Math.min(ctx.settings.per_page ?? max, max) }),
    // Next links are followed as given; parameters a link might drop are carried over.
    // The `last` link names the last page: the pages between are requested in parallel.
    paginator: nextUrl('pagination.next', { carry: ['per_page', 'from', 'to'], last: { path: 'pagination.last', pageParam: 'page' } }),
    transform: (item) => jsonApiFlatten(item),
    ...extra,
  });
}

/** `updated_at` streams: the API cannot filter on it, so records are filtered client-side and the bookmark is committed at stream end. */
const updatedAt = { replicationKey: 'updated_at' } as const;

function incident(item: JsonObject): JsonObject {
  const flat = jsonApiFlatten(item);
  const record: Partial<IncidentsRecord> & JsonObject = {
    ...flat,
    response_options: decodeJsonString(flat.response_options) ?? null,
    monitor_id: relationshipRefs(item, 'monitor')[0]?.id ?? null,
    heartbeat_id: relationshipRefs(item, 'heartbeat')[0]?.id ?? null,
  };
  // Some payloads double-encode response_options as a non-JSON string: keep it, as an object.
  if (typeof record.response_options === 'string') record.response_options = { value: record.response_options };
  return record;
}

/** The settings schema: the one source of the settings and of their type. */
const settings = defineSettings({
  type: 'object',
  properties: {
    api_key: { type: 'string', secret: true, description: 'Better Stack Uptime API token (Settings > API Tokens), sent as `Authorization: Bearer`.' },
    base_url: { type: 'string', format: 'uri', default: 'https://uptime.betterstack.com', description: 'API base URL.' },
    start_date: { type: 'string', format: 'date-time', description: 'Earliest `updated_at` (incidents: `started_at`) to extract on the first run (RFC 3339).' },
    per_page: { type: 'integer', minimum: 1, maximum: MAX_PER_PAGE, description: 'Records per page; by default each endpoint\'s maximum (250, incidents 50). Values above an endpoint\'s maximum are capped.' },
    incidents_lookback_days: { type: 'integer', minimum: 0, default: 7, description: 'Days of incidents re-read before the bookmark, so incidents acknowledged or resolved after the last run are updated.' },
  },
  required: ['api_key'],
});

export default defineTap<BetterstackSettings>({
  name: 'tap-betterstack',
  description: 'Better Stack Uptime: monitors, status pages, heartbeats, groups, incidents (with their monitors) and on-call calendars (with their users).',
  version: VERSION,
  catalogDir: new URL('../../../catalogs/betterstack/', import.meta.url),
  settings,
  client: (s) => ({ baseUrl: s.base_url, auth: bearer(s.api_key) }),
  streams: [
    list('monitors', '/api/v2/monitors', updatedAt),
    list('status_pages', '/api/v2/status-pages', updatedAt),
    list('monitor_groups', '/api/v2/monitor-groups', updatedAt),
    list('heartbeats', '/api/v2/heartbeats', updatedAt),
    list('heartbeat_groups', '/api/v2/heartbeat-groups', updatedAt),
    list('incidents', '/api/v3/incidents', {
      replicationKey: 'started_at',
      params: (ctx) => ({
        per_page: Math.min(ctx.settings.per_page ?? MAX_INCIDENTS_PER_PAGE, MAX_INCIDENTS_PER_PAGE),
        // `from` is a calendar date, possibly in the team's time zone: ask from the day before, and let
        // the client-side filter keep exactly the incidents at or after the start.
        from: ctx.start === undefined ? undefined : toIsoDate(Number(instantMs(ctx.start)) - 86_400_000),
      }),
      lookbackSeconds: (s) => s.incidents_lookback_days * 86_400,
      transform: incident,
    }, MAX_INCIDENTS_PER_PAGE),
    childRows<BetterstackSettings, IncidentMonitorRecord>({
      name: 'incident_monitor',
      parent: 'incidents',
      primaryKey: ['incident_id', 'id'],
      rows: (item) => relationshipRefs(item, 'monitor').map((m) => ({ incident_id: String(item.id), id: m.id, type: m.type })),
    }),
    list('on_call_calendars', '/api/v2/on-calls'),
    childRows<BetterstackSettings, OnCallUsersRecord>({
      name: 'on_call_users',
      parent: 'on_call_calendars',
      primaryKey: ['on_call_calendar_id', 'id'],
      rows: (item, page) => relationshipRefs(item, 'on_call_users').map((u) => {
        const user = findIncluded(page.body, u, ['user', 'on_call_user']);
        const attrs = (user?.attributes ?? {}) as JsonObject;
        const row: OnCallUsersRecord = {
          on_call_calendar_id: String(item.id),
          id: u.id,
          type: u.type,
          email: (attrs.email as string | undefined) ?? (u.meta?.email as string | undefined) ?? null,
          first_name: (attrs.first_name as string | undefined) ?? null,
          last_name: (attrs.last_name as string | undefined) ?? null,
          phone_numbers: Array.isArray(attrs.phone_numbers) ? (attrs.phone_numbers as string[]) : null,
        };
        return row;
      }),
    }),
  ],
});
